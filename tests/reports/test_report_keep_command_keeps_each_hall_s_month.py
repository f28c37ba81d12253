"""`hallq report keep` (the nightly timer's command) measures the month of yesterday and of
today in each hall and keeps their passes: run again, it reads nothing; an unknown hall is a
clear error. Its timer fires daily after the example hall has closed."""

from __future__ import annotations

import os
import re
import subprocess
from datetime import time
from pathlib import Path

from sqlalchemy import delete, select

from queue_server.config import load_hall_config
from queue_server.demo import EXAMPLE_CONFIG
from queue_server.storage.report_tables import MonthPassCheckpoint
from tests.reports.conftest import PlayedMonth, report
from tests.support.factories import SMALL_HALL

SYSTEMD = Path(__file__).resolve().parents[2] / "systemd"
# The evening of 1 December: yesterday was in November, today is in December.
DECEMBER_1 = {**os.environ, "HALLQ_CLOCK_START": "2026-12-01T19:00:00+08:00"}


def keep(*args: str) -> subprocess.CompletedProcess[str]:
    return report("keep", *args, env=DECEMBER_1)


def test_it_keeps_yesterday_s_and_today_s_month_once(
    played: PlayedMonth, sqlite_url: str, tmp_path: Path
) -> None:
    config = tmp_path / "hall.toml"
    config.write_text(
        SMALL_HALL.format(hall_id="test", guard=20, ratio="", cap=""), encoding="utf-8"
    )
    with played.services.db.write() as work:  # the fixture measured November already
        work.session.execute(delete(MonthPassCheckpoint))
    events = played.measures.events
    first = keep("--database", sqlite_url, "--config", str(config))
    assert first.returncode == 0, first.stderr
    assert f"2026-11 hall test: {events} events, {events} read now" in first.stdout
    assert "2026-12 hall test: 0 events, 0 read now" in first.stdout
    with played.services.db.read() as session:
        kept = session.execute(select(MonthPassCheckpoint.month, MonthPassCheckpoint.events))
        assert kept.all() == [("2026-11", events)]

    again = keep("--database", sqlite_url, "--config", str(config))
    assert again.returncode == 0, again.stderr
    assert f"2026-11 hall test: {events} events, 0 read now" in again.stdout

    unknown = keep("--database", sqlite_url, "--config", str(config), "--hall", "nowhere")
    assert unknown.returncode == 2
    assert "no hall 'nowhere' in the configuration" in unknown.stderr


def test_its_timer_fires_daily_after_closing() -> None:
    timer = (SYSTEMD / "hallq-month-pass.timer").read_text("utf-8")
    (when,) = re.findall(r"^OnCalendar=(.+)$", timer, re.M)
    match = re.fullmatch(r"\*-\*-\* (\d\d):(\d\d):(\d\d)", when.strip())
    assert match, f"not a daily time: {when}"
    last_close = max(end for _, end in load_hall_config(EXAMPLE_CONFIG).hall.sessions)
    hour, minute = (int(p) for p in last_close.split(":"))
    assert time(*(int(g) for g in match.groups())) > time(hour, minute)
    assert "Persistent=true" in timer
    service = (SYSTEMD / "hallq-month-pass.service").read_text("utf-8")
    assert "ExecStart=/opt/hallq/venv/bin/hallq report keep\n" in service
