"""A window's pause (or resume, opening, closing) changes the open capacity of its services and
nothing else an issue reads; a clerk's sign-out or sign-in changes nothing an issue reads. So
the memo a transaction hands the next (carried_inputs.py) keeps the stop flag, the handling
times and the queue's size past them, and only the capacity is read again, as it now stands.
Each is a few events a window a day, and forgetting everything on each made the next issue
count its whole queue (issue 22). On both engines."""

from __future__ import annotations

from sqlalchemy import func, select

from queue_server.api.deps import Services
from queue_server.domain.tickets import TicketState
from queue_server.services.event_log import SYSTEM
from queue_server.services.issuing import IssueRequest
from queue_server.services.queries import handling_minutes, service_capacity
from queue_server.storage.tables import Ticket
from tests.support.auth import clerk_at

HALL = "test"


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


def test_a_pause_forgets_the_capacities_and_keeps_the_rest(services_any: Services) -> None:
    queue = services_any.queue
    queue.issue(HALL, IssueRequest("TAX"))
    queue.issue(HALL, IssueRequest("TAX"))
    read_by_issue = {("stopped", HALL, "TAX"), ("handling", HALL, "TAX"), ("capacity", HALL, "TAX")}
    assert _carried_keys(services_any) == read_by_issue

    queue.pause(HALL, 2, "break", None)

    assert _carried_keys(services_any) == read_by_issue - {("capacity", HALL, "TAX")}
    carried = services_any.db.carried.peek(HALL)
    assert carried is not None and carried.sizes == {(HALL, "TAX"): _waiting(services_any, "TAX")}

    # The next issue reads the capacity as the pause left it, and is told its true place.
    third = queue.issue(HALL, IssueRequest("TAX")).ticket
    assert third.ahead == 2 == queue.get_ticket(third.id).ahead
    carried = services_any.db.carried.peek(HALL)
    assert carried is not None
    with services_any.db.read() as session:
        now = service_capacity(session, HALL, "TAX")
        assert carried.inputs[("capacity", HALL, "TAX")] == now
        assert carried.inputs[("handling", HALL, "TAX")] == handling_minutes(session, HALL, "TAX")
    assert now == 0.25  # window 2 paused: window 1's quarter is left

    queue.resume(HALL, 2)
    assert ("capacity", HALL, "TAX") not in _carried_keys(services_any)
    assert ("handling", HALL, "TAX") in _carried_keys(services_any)


def test_a_sign_out_and_in_keep_everything(services_any: Services) -> None:
    clerk = clerk_at(services_any, 1, hall=HALL)
    queue = services_any.queue
    queue.issue(HALL, IssueRequest("SOC"))
    before = services_any.db.carried.peek(HALL)
    assert before is not None and before.inputs

    services_any.attendance.sign_out(HALL, 1, SYSTEM)
    services_any.attendance.sign_in(HALL, 1, clerk.user_id)

    after = services_any.db.carried.peek(HALL)
    assert after is not None and (after.seq, after.hash) != (before.seq, before.hash)
    assert (after.inputs, after.sizes) == (before.inputs, before.sizes)
    second = queue.issue(HALL, IssueRequest("SOC")).ticket
    assert second.ahead == 1 == queue.get_ticket(second.id).ahead
