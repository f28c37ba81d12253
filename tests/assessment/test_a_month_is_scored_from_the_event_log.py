"""A month run end to end: the scripted events become explained deductions."""

from __future__ import annotations

from sqlalchemy import select

from queue_server.domain.access import Role
from queue_server.domain.assessment.facts import RefKind
from queue_server.domain.clock import ManualClock
from queue_server.services.event_log import Actor
from queue_server.storage.tables import Event
from tests.assessment.month_support import assessment, script_november
from tests.support.auth import staff_login
from tests.support.factories import local, make_services, small_hall


def test_late_sign_in_and_overdue_case_are_deducted_with_their_events(
    database_url: str, clock: ManualClock
) -> None:
    services = make_services(database_url, small_hall(), clock=clock)
    month = script_november(services, clock)
    staff_login(services, Role.CLERK)  # on leave all month: not assessed
    clock.set(local(2026, 12, 1, 10, 0))
    record = assessment(services).run_month(
        "test", "2026-11", Actor(clerk=month.supervisor.user_id)
    )
    clerk = record.result.staff_member(month.clerk.staff_no)
    assert clerk.score.part("diligence").score == 18
    assert clerk.score.part("results").score == 19
    assert clerk.score.total == 92
    window = record.result.window(1)
    assert window.score.part("quality").score == 50
    # The window stood empty from 09:00 until the late sign-in: unattended once, -5.
    assert window.score.part("discipline").score == 15
    assert window.score.total == 85
    with services.db.read() as session:
        kinds = dict(session.execute(select(Event.seq, Event.kind)).all())
    late_refs = clerk.score.part("diligence").lines[0].refs
    assert [kinds[int(r.id)] for r in late_refs if r.kind is RefKind.EVENT] == ["clerk.signed_in"]
    overdue_refs = window.score.part("quality").lines[0].refs
    assert {kinds[int(r.id)] for r in overdue_refs} >= {"ticket.finished", "case.concluded"}
    assert window.score.part("quality").lines[0].points == -10
    assert record.state == "open" and record.runs == 1
    # Only who worked and what was staffed: a blank month would score 100 and take the
    # excellent place or the best window.
    assert [g.score.subject for g in record.result.staff] == [month.clerk.staff_no]
    assert [g.score.subject for g in record.result.windows] == ["1"]
    services.db.engine.dispose()
