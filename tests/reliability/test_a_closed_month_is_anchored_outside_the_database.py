"""Closing a month (`hallq assess close`) and making its bulletin (`hallq report month`) each
sign the event chain's head into a checkpoint file, and the bulletin and the notice (通报)
print that head: event count, hash, time and the file's name. After the full rewrite of the
log (one event changed, every later hash recomputed, the hall's head updated), whether with
plain SHA-256 by someone without the chain key or with the right HMAC by someone who has it,
`hallq audit verify --checkpoint FILE` fails."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from queue_server.reports.chain_head import ChainHead
from queue_server.reports.notice_source import build_notice
from queue_server.services.reports import ReportService
from queue_server.storage.tables import Event
from tests.assessment.month_support import script_november
from tests.reliability.test_a_database_administrator_cannot_rewrite_the_log import rewrite
from tests.support import hallq_command
from tests.support.factories import SMALL_HALL, TEST_CHAIN_KEY

DECEMBER_2 = {**os.environ, "HALLQ_CLOCK_START": "2026-12-02T10:00:00+08:00"}


def hallq(*args: str) -> subprocess.CompletedProcess[str]:
    return hallq_command.hallq(*args, timeout=180, env=DECEMBER_2)


def close_and_report(
    services: Services, clock: ManualClock, sqlite_url: str, tmp_path: Path
) -> tuple[Path, Path, str]:
    script_november(services, clock)
    config = tmp_path / "hall.toml"
    config.write_text(SMALL_HALL.format(hall_id="test", guard=20, ratio="", cap=""), "utf-8")
    where = ["--database", sqlite_url, "--config", str(config)]
    closing = tmp_path / "closing"
    closed = hallq("assess", "close", "2026-11", *where, "--checkpoint-dir", str(closing))
    assert closed.returncode == 0, closed.stderr
    (at_close,) = closing.glob("test-*-assessment-2026-11.json")
    assert f"signed checkpoint {at_close}" in closed.stdout
    printed = tmp_path / "printed"
    report = hallq(
        "report", "month", "2026-11", *where, "--format", "html", "--out", str(tmp_path / "out"),
        "--checkpoint-dir", str(printed),
    )  # fmt: skip
    assert report.returncode == 0, report.stderr
    (at_bulletin,) = printed.glob("test-*-bulletin-2026-11.json")
    (html,) = (tmp_path / "out").glob("bulletin-test-2026-11*.html")
    return at_close, at_bulletin, html.read_text("utf-8")


def verify(sqlite_url: str, checkpoint: Path) -> subprocess.CompletedProcess[str]:
    return hallq("audit", "verify", "--database", sqlite_url, "--checkpoint", str(checkpoint))


@pytest.mark.parametrize("attacker", ["plain_sha256", "with_the_chain_key"])
def test_a_rewrite_after_the_close_fails_against_its_checkpoint(
    services: Services, clock: ManualClock, sqlite_url: str, tmp_path: Path, attacker: str
) -> None:
    at_close, at_bulletin, html = close_and_report(services, clock, sqlite_url, tmp_path)
    signed = json.loads(at_close.read_text("utf-8"))["checkpoint"]
    with services.db.read() as session:
        events = session.scalar(select(func.count()).select_from(Event))
    assert signed["seq"] == events  # the close's own event included
    assert verify(sqlite_url, at_close).returncode == 0
    assert verify(sqlite_url, at_bulletin).returncode == 0

    # The bulletin prints the head it signed: count, hash, time, file name.
    head = json.loads(at_bulletin.read_text("utf-8"))["checkpoint"]
    assert f"共{head['seq']}条" in html and head["hash"] in html
    assert at_bulletin.name in html and "2026-12-02 10:0" in html

    if attacker == "plain_sha256":
        rewrite(services, edit_seq=3, keep_epoch=True)
    else:
        rewrite(services, edit_seq=3, key=TEST_CHAIN_KEY, keyed_from=1, keep_epoch=True)
        plain = hallq("audit", "verify", "--database", sqlite_url)
        assert plain.returncode == 0, plain.stdout  # the key alone lets the chain be rebuilt
    for checkpoint in (at_close, at_bulletin):
        result = verify(sqlite_url, checkpoint)
        assert result.returncode == 1, result.stdout
        assert f"chain BROKEN at event seq {signed['seq']}" in result.stdout or (
            f"chain BROKEN at event seq {head['seq']}" in result.stdout
        )


def test_the_notice_prints_the_chain_head(
    services: Services, clock: ManualClock, sqlite_url: str, tmp_path: Path
) -> None:
    _, at_bulletin, _ = close_and_report(services, clock, sqlite_url, tmp_path)
    fields = json.loads(at_bulletin.read_text("utf-8"))["checkpoint"]
    head = ChainHead(
        fields["seq"], fields["hash"], datetime.fromisoformat(fields["at"]), at_bulletin.name
    )
    measures = ReportService(services.db, services.halls, services.clock).month_measures(
        "test", "2026-11"
    )
    notice = build_notice(
        services.db, services.halls, services.clock, measures, None, chain_head=head
    )
    last = notice.sections[-1]
    assert last.heading == "五、运行日志校验"
    assert fields["hash"] in last.paragraphs[0] and at_bulletin.name in last.paragraphs[0]
