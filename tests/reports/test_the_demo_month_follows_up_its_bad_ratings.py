"""The demo's simulated month follows up its bad ratings as a real hall does: contacted,
fixed and closed on the next working day, on the hall's chain; a follow-up whose next working
day has not come yet stays open. So the floor monitor does not open on dozens of overdue
follow-ups the demo made itself."""

from __future__ import annotations

from datetime import date

from queue_server.api.deps import Services
from queue_server.demo.follow_ups import follow_up_month
from queue_server.domain.clock import ManualClock
from queue_server.domain.rating import FollowUpState, Level
from queue_server.domain.tickets import CaseType
from queue_server.services.event_log import verify_chain
from queue_server.services.follow_ups import FollowUpService
from queue_server.services.issuing import IssueRequest
from queue_server.services.ratings import RatingService
from tests.support.factories import local, make_services, small_hall


def _bad_rating(services: Services, clock: ManualClock) -> None:
    queue = services.queue
    queue.issue("test", IssueRequest("SOC"))
    ticket = queue.call_next("test", 1)
    assert ticket is not None
    queue.start("test", 1, ticket.id)
    queue.finish("test", 1, ticket.id, CaseType.IMMEDIATE)
    RatingService(services.db, services.halls, clock).rate(
        "test", 1, ticket.id, Level.DISSATISFIED, ["long_wait"], "display-1"
    )


def test_last_months_follow_ups_are_closed_in_time_and_a_fresh_one_stays_open(
    sqlite_url: str,
) -> None:
    clock = ManualClock(local(2026, 11, 25, 10, 0))  # Wednesday
    services = make_services(sqlite_url, small_hall(), clock=clock)
    _bad_rating(services, clock)
    clock.set(local(2026, 12, 2, 10, 0))  # Wednesday, the day before "today"
    _bad_rating(services, clock)
    clock.set(local(2026, 12, 3, 11, 0))

    closed = follow_up_month(services.db, services.halls, date(2026, 11, 1), date(2026, 12, 3))

    assert closed == 1
    follow_ups = FollowUpService(services.db, services.halls, clock).list("test")
    by_day = {f.opened_at.astimezone(local(2026, 1, 1).tzinfo).date(): f for f in follow_ups}
    november, december = by_day[date(2026, 11, 25)], by_day[date(2026, 12, 2)]
    assert november.state is FollowUpState.CLOSED and not november.overdue
    assert november.closure is not None and november.contact is not None
    assert november.closure.at.date() <= november.deadline
    assert november.contact.at == local(2026, 11, 26, 10, 0)
    assert december.state is FollowUpState.OPEN
    with services.db.read() as session:
        count, broken = verify_chain(session, "test")
    assert broken is None and count > 0
    services.db.engine.dispose()
