"""`hallq assess run|show|close|year` on a database with a scripted November; the commands run
on the hall's clock set to 2 December 2026, after the scripted days (HALLQ_CLOCK_START)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from tests.assessment.month_support import script_november
from tests.support import hallq_command
from tests.support.factories import SMALL_HALL

DECEMBER_2 = {**os.environ, "HALLQ_CLOCK_START": "2026-12-02T10:00:00+08:00"}


def hallq(*args: str) -> subprocess.CompletedProcess[str]:
    return hallq_command.hallq("assess", *args, env=DECEMBER_2)


def test_run_show_close_and_refuse(
    services: Services, clock: ManualClock, sqlite_url: str, tmp_path: Path
) -> None:
    month = script_november(services, clock)
    config = tmp_path / "hall.toml"
    config.write_text(SMALL_HALL.format(hall_id="test", guard=20, ratio="", cap=""), "utf-8")
    where = ["--database", sqlite_url, "--config", str(config)]

    run = hallq("run", "2026-11", "--explain", *where)
    assert run.returncode == 0, run.stderr
    assert "assessment 2026-11 hall test: open (may still change), run 1×" in run.stdout
    assert f"{month.clerk.staff_no}" in run.stdout and "92" in run.stdout
    assert "迟到 late: -2" in run.stdout and "<- event:" in run.stdout
    assert "events read" in run.stderr  # progress
    assert "best window (最佳窗口, five parts of 20):" in run.stdout
    assert "业务量20 按时收费14" in run.stdout  # 2 overdue working days, -3 each

    shown = hallq("show", "2026-11", "--json", *where)
    body = json.loads(shown.stdout)
    assert body["state"] == "open" and body["runs"] == 1
    clerk = next(s for s in body["result"]["staff"] if s["subject"] == month.clerk.staff_no)
    assert clerk["total"] == 92

    # The running month (December on the command's clock) is not over; October is, and is empty.
    early = hallq("close", "2026-12", *where)
    assert early.returncode == 1 and "is not over yet" in early.stderr
    assert hallq("close", "2026-10", *where).returncode == 0
    refused = hallq("run", "2026-10", *where)
    assert refused.returncode == 1 and "cannot be run again" in refused.stderr

    year = hallq("year", "2026", *where)
    assert "2026-10 closed, 2026-11 open" in year.stdout
    assert f"{month.clerk.staff_no:<10} average" in year.stdout
    assert hallq("show", "2026-09", *where).returncode == 1
