"""`hallq retention purge` (the nightly timer's command) purges every configured hall with
that hall's days and says how many rows it cleared; the purge is in the event log."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from sqlalchemy import select

from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from queue_server.storage.tables import Event
from tests.retention.visits import bad_visit, find
from tests.support.factories import SMALL_HALL
from tests.support.hallq_command import hallq

PERSON = ("孙七", "13600000007", "320102197001010077")


def purge(sqlite_url: str, hall: Path, at: str) -> subprocess.CompletedProcess[str]:
    """The command as the nightly timer runs it, on the hall's clock set to `at`."""
    return hallq(
        "retention", "purge", "--config", str(hall), "--database", sqlite_url,
        timeout=60, env={**os.environ, "HALLQ_CLOCK_START": at},
    )  # fmt: skip


def test_command(sqlite_url: str, services: Services, clock: ManualClock, tmp_path: Path) -> None:
    bad_visit(services, *PERSON)  # 25 November 2026
    hall = tmp_path / "hall.toml"
    hall.write_text(SMALL_HALL.format(hall_id="test", guard=20, ratio="", cap=""))
    soon = purge(sqlite_url, hall, "2026-12-02T02:00:00+08:00")  # a week later: kept
    assert soon.returncode == 0, soon.stderr
    assert "hall test: personal data cleared in 0 rows" in soon.stdout
    later = purge(sqlite_url, hall, "2027-03-01T02:00:00+08:00")  # past every period
    assert later.returncode == 0, later.stderr
    assert "hall test: personal data cleared in 1 rows" in later.stdout
    assert find(services, list(PERSON)) == []
    with services.db.read() as session:
        kinds = session.scalars(select(Event.kind).order_by(Event.seq.desc()).limit(1)).all()
    assert kinds == ["retention.purged"]
