"""Security review, finding 8 (low, docs/reliability.md): an appointment ticket called before its
slot got a negative `waited_seconds` in the event log (its queue time is its slot). It waited
nothing: 0."""

from __future__ import annotations

from queue_server.domain.clock import ManualClock
from queue_server.domain.tickets import CaseType
from queue_server.services.bookings import BookingRequest, CheckInRequest
from queue_server.services.event_log import events_after
from queue_server.services.tickets import IssueRequest
from tests.bookings.helpers import booking_hall, person
from tests.support.factories import local, make_services


def test_an_appointment_called_before_its_slot_waited_nothing(sqlite_url: str) -> None:
    clock = ManualClock(local(2026, 11, 25, 10, 0))
    services = make_services(sqlite_url, booking_hall(), clock=clock)
    try:
        booking = services.bookings.book(
            "test", BookingRequest("SOC", local(2026, 11, 26, 10, 0), **person(1))
        )
        clock.set(local(2026, 11, 26, 9, 35))
        checked = services.bookings.check_in("test", CheckInRequest(code=booking.code))
        assert checked.ticket is not None
        clock.set(local(2026, 11, 26, 9, 40))  # 20 minutes before the slot, nobody else waits
        called = services.queue.call_next("test", 1)
        assert called is not None and called.id == checked.ticket.id
        walk_in = services.queue.issue("test", IssueRequest("SOC")).ticket
        services.queue.start("test", 1, called.id)
        services.queue.finish("test", 1, called.id, CaseType.IMMEDIATE)
        clock.set(local(2026, 11, 26, 9, 43))
        services.queue.call_next("test", 1)
        with services.db.read() as session:
            calls = [e for e in events_after(session, "test", 0) if e.kind == "ticket.called"]
        waits = {e.ticket_id: e.payload["waited_seconds"] for e in calls}
        assert waits == {checked.ticket.id: 0, walk_in.id: 180}
    finally:
        services.db.engine.dispose()
