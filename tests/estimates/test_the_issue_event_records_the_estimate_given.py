"""The estimate a visitor reads at issue is the one the `ticket.issued` event records, so
measuring estimates measures what visitors were told; with nobody ahead it is one figure read
from the windows."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from queue_server.api.deps import Services
from queue_server.domain.access import Role
from queue_server.domain.clock import ManualClock
from queue_server.services.event_log import Actor
from queue_server.services.floor_actions import FloorActions
from queue_server.services.issuing import IssueRequest
from queue_server.storage.tables import Event
from tests.support.auth import clerk_at, staff_login


def _issued_payload(services: Services, ticket_id: str) -> dict[str, Any]:
    with services.db.read() as session:
        payload = session.scalar(
            select(Event.payload).where(Event.ticket_id == ticket_id, Event.kind == "ticket.issued")
        )
    assert isinstance(payload, dict)
    return payload


def test_the_event_holds_what_the_visitor_read(services: Services, clock: ManualClock) -> None:
    clerk = clerk_at(services, 2)  # window 2 serves TAX only
    lead = Actor(clerk=staff_login(services, Role.DUTY_LEAD).user_id)
    FloorActions(services.db, services.halls, clock).close_window("test", 1, None, lead)
    first = services.queue.issue("test", IssueRequest("TAX")).ticket
    assert first.ahead == 0 and first.estimated_wait is not None
    assert first.estimated_wait.text == "about 1 min"  # window 2 is free
    given = _issued_payload(services, first.id)
    assert (given["estimate"], given["about"]) == ([0, 1], 1)

    services.queue.call_next("test", 2, Actor(clerk=clerk.user_id))
    clock.advance(timedelta(minutes=2))
    second = services.queue.issue("test", IssueRequest("TAX")).ticket
    # Window 2 has been busy 2 minutes; TAX takes 10 by default (too few measured cases).
    assert second.ahead == 0 and second.estimated_wait is not None
    assert second.estimated_wait.about_minutes == 8
    assert (second.estimated_wait.low_minutes, second.estimated_wait.high_minutes) == (4, 12)
    given = _issued_payload(services, second.id)
    assert (given["estimate"], given["about"]) == ([4, 12], 8)

    third = services.queue.issue("test", IssueRequest("TAX")).ticket
    assert third.ahead == 1 and third.estimated_wait is not None
    low, high = third.estimated_wait.low_minutes, third.estimated_wait.high_minutes
    assert low is not None and high is not None and low < high
    assert third.estimated_wait.about_minutes is None
    assert _issued_payload(services, third.id)["estimate"] == [low, high]
    assert "about" not in _issued_payload(services, third.id)
    assert services.queue.get_ticket(third.id).estimated_wait == third.estimated_wait


def test_no_window_open_records_no_estimate(services: Services, clock: ManualClock) -> None:
    lead = Actor(clerk=staff_login(services, Role.DUTY_LEAD).user_id)
    FloorActions(services.db, services.halls, clock).close_window("test", 3, None, lead)
    ticket = services.queue.issue("test", IssueRequest("RES")).ticket
    assert ticket.estimated_wait is not None and ticket.estimated_wait.low_minutes is None
    assert _issued_payload(services, ticket.id)["estimate"] is None
