"""A booking not checked in by the end of its arrival window becomes a no-show (marked by the
server's own sweep); too many of them within the window bar new bookings for a while."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from queue_server.api.app import create_app
from queue_server.api.deps import Services
from queue_server.config.models import HallConfig
from queue_server.domain.clock import ManualClock
from queue_server.domain.errors import RuleViolation
from queue_server.services.bookings import BookingRequest
from queue_server.storage.booking_tables import Booking
from queue_server.storage.tables import Event
from tests.bookings.helpers import booking_hall, person
from tests.support.factories import local
from tests.support.live_server import live_server

BOTH_DATABASES = True  # see tests/bookings/conftest.py

VISITOR = person(3, name="李四", phone="13912345678")


@pytest.fixture
def hall_config() -> HallConfig:
    return booking_hall(no_show_limit=2, no_show_window_days=180, banned_days=30)


def book(services: Services, *args: int) -> str:
    return services.bookings.book("test", BookingRequest("SOC", local(*args), **VISITOR)).id


def states(services: Services) -> dict[str, str]:
    with services.db.read() as session:
        return {b.id: b.state for b in session.scalars(select(Booking))}


def test_no_shows_then_a_ban_then_booking_again(services: Services, clock: ManualClock) -> None:
    first = book(services, 2026, 11, 26, 9, 0)
    second = book(services, 2026, 11, 27, 9, 0)

    clock.set(local(2026, 11, 26, 9, 14, 59))
    assert services.bookings.mark_no_shows("test") == 0
    clock.set(local(2026, 11, 26, 9, 15))
    assert services.bookings.mark_no_shows("test") == 1
    assert states(services) == {first: "no_show", second: "booked"}

    clock.set(local(2026, 11, 27, 9, 15))
    assert services.bookings.mark_no_shows("test") == 1
    assert services.bookings.no_show_count("test", VISITOR["id_number"]) == 2

    with pytest.raises(RuleViolation) as refused:
        book(services, 2026, 11, 30, 9, 0)
    assert refused.value.code == "booking_suspended"
    assert "2026-12-27" in refused.value.message  # 30 days after the second no-show
    other = person(4)  # somebody else books as usual
    services.bookings.book("test", BookingRequest("SOC", local(2026, 11, 30, 9, 0), **other))

    clock.set(local(2026, 12, 28, 10, 0))
    book(services, 2026, 12, 29, 9, 0)

    with services.db.read() as session:
        payloads = [
            e.payload for e in session.scalars(select(Event).where(Event.kind == "booking.no_show"))
        ]
    assert [p["booking"] for p in payloads] == [first, second]
    assert all(set(p) == {"booking", "service", "slot"} for p in payloads)


def test_the_server_sweeps_by_itself(services: Services, clock: ManualClock) -> None:
    booking = book(services, 2026, 11, 26, 9, 0)
    clock.set(local(2026, 11, 26, 9, 20))
    services.bookings.sweep_every = 0.05
    with live_server(create_app(services)):
        deadline = time.monotonic() + 10
        while states(services)[booking] != "no_show":
            assert time.monotonic() < deadline, "the sweep never marked the no-show"
            time.sleep(0.05)
