"""A checked-in appointment is called by its booked time, ahead of fresh walk-ins, while the
anti-starvation guard still lets a walk-in who has waited long enough go first."""

from __future__ import annotations

from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from queue_server.domain.tickets import CaseType
from queue_server.services.bookings import BookingRequest, CheckInRequest
from queue_server.services.tickets import IssueRequest
from tests.bookings.helpers import person
from tests.support.factories import local


def test_booked_time_orders_the_appointment_and_the_guard_protects_walk_ins(
    services: Services, clock: ManualClock
) -> None:
    booking = services.bookings.book(
        "test", BookingRequest("SOC", local(2026, 11, 26, 10, 0), **person(1))
    )
    clock.set(local(2026, 11, 26, 9, 0))
    long_wait = services.queue.issue("test", IssueRequest("SOC")).ticket  # waits 50 minutes
    clock.set(local(2026, 11, 26, 9, 40))
    checked = services.bookings.check_in("test", CheckInRequest(code=booking.code))
    assert checked.outcome == "on_time" and checked.ticket is not None
    appointment = checked.ticket
    assert appointment.priority == "appointment"
    clock.set(local(2026, 11, 26, 9, 45))
    fresh = services.queue.issue("test", IssueRequest("SOC")).ticket

    clock.set(local(2026, 11, 26, 9, 50))
    # The appointment's place follows 10:00, ahead of the fresh walk-in already now.
    assert services.queue.get_ticket(fresh.id).ahead == 2
    called = []
    for _ in range(3):
        ticket = services.queue.call_next("test", 1)
        assert ticket is not None
        called.append(ticket.number)
        services.queue.start("test", 1, ticket.id)
        services.queue.finish("test", 1, ticket.id, CaseType.IMMEDIATE)
    # 09:00 walk-in has waited past the 20-minute guard: first; then the appointment.
    assert called == [long_wait.number, appointment.number, fresh.number]
