"""A hall's recorded history of estimates and waits, played through the real services day by
day on the test clock: what the server's calibration (services/estimate_calibration.py) is
fitted on."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from queue_server.domain.tickets import CaseType
from queue_server.services.attendance import AttendanceService
from queue_server.services.event_log import Actor
from queue_server.services.issuing import IssueRequest
from queue_server.storage.tables import Event

# The hall's working days start with this morning; the history lies before it.
DAY_START = time(9, 30)


def issued_payload(services: Services, ticket_id: str) -> dict[str, Any]:
    with services.db.read() as session:
        payload = session.scalar(
            select(Event.payload).where(Event.ticket_id == ticket_id, Event.kind == "ticket.issued")
        )
    assert isinstance(payload, dict)
    return payload


def working_days_before(services: Services, hall: str, today: date, count: int) -> list[date]:
    calendar = services.halls.get(hall).calendar
    days: list[date] = []
    day = today
    while len(days) < count:
        day -= timedelta(days=1)
        if calendar.is_working_day(day):
            days.append(day)
    return sorted(days)


def play_history(
    services: Services,
    clock: ManualClock,
    clerk_id: str,
    days: list[date],
    late_by: Callable[[int], float],
    *,
    hall: str = "test",
    service: str = "TAX",
    window: int = 2,
    ahead: int = 2,
) -> None:
    """On each day: one ticket with nobody ahead, then `ahead` more (1, 2, ... ahead), issued
    together; each queued one is called `late_by(n)` minutes after the midpoint the hall told
    it (n counts the queued tickets over the whole history). `window` serves `service`."""
    calendar = services.halls.get(hall).calendar
    attendance = AttendanceService(services.db, services.halls, clock)
    actor = Actor(clerk=clerk_id)
    queue = services.queue
    n = 0
    for day in days:
        start = calendar.at(day, DAY_START)
        clock.set(start)
        attendance.sign_in(hall, window, clerk_id)
        tickets = [queue.issue(hall, IssueRequest(service)).ticket for _ in range(ahead + 1)]
        due: list[tuple[datetime, str]] = []
        for ticket in tickets[1:]:
            midpoint = issued_payload(services, ticket.id)["midpoint"]
            due.append((start + timedelta(minutes=midpoint + late_by(n)), ticket.id))
            n += 1
        due.insert(0, (start, tickets[0].id))
        for at, ticket_id in due:
            clock.set(max(at, clock.now()) + timedelta(seconds=1))
            called = queue.call_next(hall, window, actor)
            assert called is not None and called.id == ticket_id
            queue.start(hall, window, ticket_id, actor)
            queue.finish(hall, window, ticket_id, CaseType.IMMEDIATE, actor=actor)
        attendance.sign_out(hall, window, actor)


def serve_the_rest(
    services: Services, clock: ManualClock, clerk_id: str, *, hall: str = "test", window: int = 2
) -> None:
    """Call and finish every ticket still waiting for `window` now, then sign out."""
    actor = Actor(clerk=clerk_id)
    queue = services.queue
    while (called := queue.call_next(hall, window, actor)) is not None:
        queue.start(hall, window, called.id, actor)
        queue.finish(hall, window, called.id, CaseType.IMMEDIATE, actor=actor)
        clock.advance(timedelta(seconds=1))
    AttendanceService(services.db, services.halls, clock).sign_out(hall, window, actor)
