"""`hallq doctor` warns, naming the year, when the national holiday arrangement of the year at
hand is not known yet (docs/calendar.md); a warning, so the server still passes."""

from __future__ import annotations

from pathlib import Path

from tests.deploy.installed import doctor


def test_it_warns_about_a_provisional_year(server_root: Path) -> None:
    # December 2039: bookings and deadlines reach into 2040, which no notice covers yet.
    status, report = doctor(server_root, env={"HALLQ_CLOCK_START": "2039-12-01T10:00:00+08:00"})
    assert status == 0, report
    [line] = [row for row in report.splitlines() if "calendar:" in row]
    assert line.strip().startswith("warning") and "2040" in line, report


def test_it_is_quiet_about_a_published_year(server_root: Path) -> None:
    status, report = doctor(server_root, env={"HALLQ_CLOCK_START": "2026-06-01T10:00:00+08:00"})
    assert status == 0, report
    assert "ok       calendar: hall demo: holidays known through 2026" in report, report
