"""A window's pause (or resume, opening, closing) changes the open capacity of its services and
nothing else an issue reads; a clerk's sign-out or sign-in changes nothing an issue reads. So
the memo a transaction hands the next (carried_inputs.py) keeps the stop flag, the handling
times and the queue's size past them, and only the capacity is read again, as it now stands.
Each is a few events a window a day, and forgetting everything on each made the next issue
count its whole queue (issue 22). On both engines."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from queue_server.domain.tickets import TicketState
from queue_server.services.event_log import SYSTEM
from queue_server.services.issuing import IssueRequest
from queue_server.services.queries import handling_minutes, service_capacity
from queue_server.storage.tables import Ticket
from tests.support.auth import clerk_at
from tests.support.factories import make_services, small_hall

HALL = "test"


@pytest.fixture
def hall_services(database_url: str, clock: ManualClock) -> Iterator[Services]:
    built = make_services(database_url, small_hall(), clock=clock)
    yield built
    built.db.engine.dispose()


def _carried_keys(services: Services) -> set[tuple[str, str, str]]:
    carried = services.db.carried.peek(HALL)
    assert carried is not None, "the last transaction left nothing to carry"
    return set(carried.inputs)


def _waiting(services: Services, service: str) -> int:
    with services.db.read() as session:
        return int(
            session.scalar(
                select(func.count())
                .select_from(Ticket)
                .where(
                    Ticket.hall_id == HALL,
                    Ticket.service_code == service,
                    Ticket.state == TicketState.WAITING.value,
                )
            )
        )


def test_a_pause_forgets_the_capacities_and_keeps_the_rest(hall_services: Services) -> None:
    queue = hall_services.queue
    queue.issue(HALL, IssueRequest("TAX"))
    queue.issue(HALL, IssueRequest("TAX"))
    read_by_issue = {("stopped", HALL, "TAX"), ("handling", HALL, "TAX"), ("capacity", HALL, "TAX")}
    assert _carried_keys(hall_services) == read_by_issue

    queue.pause(HALL, 2, "break", None)

    assert _carried_keys(hall_services) == read_by_issue - {("capacity", HALL, "TAX")}
    carried = hall_services.db.carried.peek(HALL)
    assert carried is not None and carried.sizes == {(HALL, "TAX"): _waiting(hall_services, "TAX")}

    # The next issue reads the capacity as the pause left it, and is told its true place.
    third = queue.issue(HALL, IssueRequest("TAX")).ticket
    assert third.ahead == 2 == queue.get_ticket(third.id).ahead
    carried = hall_services.db.carried.peek(HALL)
    assert carried is not None
    with hall_services.db.read() as session:
        now = service_capacity(session, HALL, "TAX")
        assert carried.inputs[("capacity", HALL, "TAX")] == now
        assert carried.inputs[("handling", HALL, "TAX")] == handling_minutes(session, HALL, "TAX")
    assert now == 0.25  # window 2 paused: window 1's quarter is left

    queue.resume(HALL, 2)
    assert ("capacity", HALL, "TAX") not in _carried_keys(hall_services)
    assert ("handling", HALL, "TAX") in _carried_keys(hall_services)


def test_a_sign_out_and_in_keep_everything(hall_services: Services) -> None:
    clerk = clerk_at(hall_services, 1, hall=HALL)
    queue = hall_services.queue
    queue.issue(HALL, IssueRequest("SOC"))
    before = hall_services.db.carried.peek(HALL)
    assert before is not None and before.inputs

    hall_services.attendance.sign_out(HALL, 1, SYSTEM)
    hall_services.attendance.sign_in(HALL, 1, clerk.user_id)

    after = hall_services.db.carried.peek(HALL)
    assert after is not None and (after.seq, after.hash) != (before.seq, before.hash)
    assert (after.inputs, after.sizes) == (before.inputs, before.sizes)
    second = queue.issue(HALL, IssueRequest("SOC")).ticket
    assert second.ahead == 1 == queue.get_ticket(second.id).ahead
