"""How long a pause may run before it is off post, and how long a window may stand empty
before it is unattended, are the hall's to set ([assessment] in its TOML); the scripted day's
45-minute break and 7- and 10-minute gaps are judged by them."""

from __future__ import annotations

from queue_server.config.models import HallConfig
from queue_server.domain.clock import ManualClock
from queue_server.services.reports import ReportService
from tests.reports.scripted_day import HALL, play_day
from tests.support.factories import local, make_services, small_hall


def _incidents(sqlite_url: str, config: HallConfig) -> set[tuple[str, int, int]]:
    clock = ManualClock(local(2026, 11, 25, 8, 0))
    services = make_services(sqlite_url, config, clock=clock)
    try:
        play_day(services, clock)
        clock.set(local(2026, 12, 3, 10, 0))
        m = ReportService(services.db, services.halls, clock).month_measures(HALL, "2026-11")
    finally:
        services.db.engine.dispose()
    return {(i.kind, i.window, i.minutes) for i in m.attendance if i.kind != "late"}


def test_by_default_domain_md_allowances_are_used(sqlite_url: str) -> None:
    found = _incidents(sqlite_url, small_hall())  # 30 minutes of pause, 5 of emptiness
    assert {("off_post", 1, 15), ("unattended", 2, 7), ("unattended", 1, 10)} <= found


def test_the_halls_own_allowances_are_used(sqlite_url: str) -> None:
    default = small_hall()
    lenient = default.model_copy(
        update={
            "assessment": default.assessment.model_copy(
                update={"off_post_pause_minutes": 40, "unattended_grace_minutes": 8}
            )
        }
    )
    found = _incidents(sqlite_url, lenient)
    assert ("off_post", 1, 5) in found  # the 45-minute break, 40 allowed
    assert ("unattended", 2, 7) not in found  # under the 8-minute grace
    assert ("unattended", 1, 10) in found
