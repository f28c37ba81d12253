"""A run, a re-run and a close answer with the result they stored, not a copy rebuilt from the
stored JSON: the two must be the same value, down to every explained line and reference."""

from __future__ import annotations

from datetime import date

from queue_server.domain.clock import ManualClock
from queue_server.services.event_log import Actor
from queue_server.services.manual_entries import ManualEntryService, NewEntry
from tests.assessment.month_support import assessment, script_november
from tests.support.factories import local, make_services, small_hall


def test_run_rerun_and_close_return_what_reads_back(database_url: str, clock: ManualClock) -> None:
    services = make_services(database_url, small_hall(), clock=clock)
    month = script_november(services, clock)
    supervisor = Actor(clerk=month.supervisor.user_id)
    entries = ManualEntryService(services.db, services.halls, services.clock)
    clock.set(local(2026, 11, 20, 10, 0))
    entries.add(
        "test", NewEntry("letter_of_thanks", date(2026, 11, 19), "感谢信", month.clerk.staff_no, 1),
        supervisor,
    )  # fmt: skip
    clock.set(local(2026, 12, 1, 10, 0))
    service = assessment(services)
    first = service.run_month("test", "2026-11", supervisor)
    assert first.result == service.month("test", "2026-11").result
    # lines with event and entry references, a bonus: the comparison has something to compare
    clerk = first.result.staff_member(month.clerk.staff_no)
    assert clerk.score.bonus_lines and clerk.score.part("diligence").lines
    again = service.run_month("test", "2026-11", supervisor)
    assert (again.runs, again.result) == (2, service.month("test", "2026-11").result)
    assert again.result == first.result
    closed = service.close_month("test", "2026-11", supervisor)
    stored = service.month("test", "2026-11")
    assert (closed.closed, closed.runs, closed.result) == (True, 3, stored.result)
    services.db.engine.dispose()
