"""A worker keeps each service's queue size between its transactions, and catches it up with
another worker's events (services/carried_inputs.py). A cancelled ticket leaves the queue if
it was waiting, and not if it was on hold at a window: it left when it was called. Either
way, the next visitor is told the place the database counts, whether the cancellation was made
by the same worker or another. On both engines."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from queue_server.domain.tickets import TicketState
from queue_server.services.issuing import IssueRequest
from queue_server.storage.tables import Ticket
from tests.support.auth import clerk_at
from tests.support.factories import OPEN_MORNING, make_services, small_hall

HALL = "test"
WINDOW = 1


def told_and_counted(issuer: Services) -> tuple[int, int]:
    issued = issuer.queue.issue(HALL, IssueRequest("SOC")).ticket
    return issued.ahead, issuer.queue.get_ticket(issued.id).ahead


@pytest.mark.parametrize("on_hold", [False, True], ids=["waiting", "on hold"])
@pytest.mark.parametrize("by_other_worker", [False, True], ids=["same worker", "other worker"])
def test_a_cancelled_ticket_leaves_the_kept_queue_once(
    database_url: str, on_hold: bool, by_other_worker: bool
) -> None:
    clock = ManualClock(OPEN_MORNING)
    hall = small_hall()
    issuer = make_services(database_url, hall, clock=clock)
    other = make_services(database_url, hall, clock=clock) if by_other_worker else issuer
    try:
        clerk_at(issuer, WINDOW, hall=HALL)
        for _ in range(3):
            issuer.queue.issue(HALL, IssueRequest("SOC"))
        assert told_and_counted(issuer) == (3, 3)  # the size is now kept
        clock.advance(timedelta(minutes=1))
        if on_hold:
            called = other.queue.call_next(HALL, WINDOW)
            assert called is not None
            other.queue.hold(HALL, WINDOW, called.id, "fetching a document")
            gone = called.id
        else:
            gone = _last_waiting(issuer)
        other.queue.cancel(HALL, gone, "left the hall")
        carried_before = issuer.db.carried.taken_over
        assert told_and_counted(issuer) == (3, 3)
        # The size was kept through the cancellation, not counted again.
        assert issuer.db.carried.taken_over == carried_before + 1
    finally:
        issuer.db.engine.dispose()
        other.db.engine.dispose()


def _last_waiting(services: Services) -> str:
    with services.db.read() as session:
        waiting = select(Ticket.id).where(Ticket.state == TicketState.WAITING.value)
        return str(session.scalars(waiting.order_by(Ticket.order_at.desc())).first())
