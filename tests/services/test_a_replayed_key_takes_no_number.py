"""A request repeated with its Idempotency-Key gets its first ticket back and takes no number,
whatever happened since: a new number for everyone else, the hall closed, issuing stopped,
the service's daily cap reached. On PostgreSQL the claim of a new key and its number share
one statement (issuing.py), so these are the cases where the two could part."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from queue_server.domain.errors import DailyCapReached, HallClosed, IssuingStopped
from queue_server.services.errors import Conflict
from queue_server.services.event_log import Actor
from queue_server.services.floor_actions import FloorActions
from queue_server.services.issuing import IssueRequest
from queue_server.services.views import IssuedTicket
from tests.support.factories import OPEN_MORNING, make_services, small_hall


def take(services: Services, key: str, service: str = "SOC") -> IssuedTicket:
    return services.queue.issue("test", IssueRequest(service, idempotency_key=key))


@pytest.fixture
def hall(database_url: str) -> Iterator[Services]:
    built = make_services(database_url, small_hall(), clock=ManualClock(OPEN_MORNING))
    yield built
    built.db.engine.dispose()


def test_replays_leave_the_numbers_consecutive(hall: Services) -> None:
    first, second = take(hall, "k1"), take(hall, "k2")
    again = take(hall, "k2")
    assert again.replayed and again.ticket.id == second.ticket.id
    assert take(hall, "k1").ticket.id == first.ticket.id
    with pytest.raises(Conflict):
        take(hall, "k2", service="TAX")  # the same key for another request
    assert [t.ticket.number for t in (first, second, take(hall, "k3"))] == [
        "A001",
        "A002",
        "A003",
    ]


def test_a_key_is_replayed_after_closing_time(hall: Services) -> None:
    take(hall, "k1")
    kept = take(hall, "k2")
    hall.clock.set(OPEN_MORNING.replace(hour=20))  # type: ignore[attr-defined]
    assert take(hall, "k2").ticket.id == kept.ticket.id
    with pytest.raises(HallClosed):
        take(hall, "k3")
    hall.clock.set(OPEN_MORNING + timedelta(minutes=5))  # type: ignore[attr-defined]
    assert take(hall, "k4").ticket.number == "A003"


def test_a_key_is_replayed_after_issuing_stopped(hall: Services) -> None:
    take(hall, "k1")
    kept = take(hall, "k2")
    actions = FloorActions(hall.db, hall.halls, hall.clock)
    actions.stop_issuing("test", "SOC", "系统维护", Actor())
    assert take(hall, "k2").ticket.id == kept.ticket.id
    with pytest.raises(IssuingStopped):
        take(hall, "k3")
    actions.resume_issuing("test", "SOC", Actor())
    assert take(hall, "k4").ticket.number == "A003"


def test_a_key_is_replayed_after_the_daily_cap(database_url: str) -> None:
    capped = make_services(database_url, small_hall(daily_cap=2), clock=ManualClock(OPEN_MORNING))
    try:
        take(capped, "k1")
        kept = take(capped, "k2")
        assert take(capped, "k2").ticket.id == kept.ticket.id
        with pytest.raises(DailyCapReached):
            take(capped, "k3")
        assert [t.ticket.number for t in (take(capped, "k1"), kept)] == ["A001", "A002"]
    finally:
        capped.db.engine.dispose()
