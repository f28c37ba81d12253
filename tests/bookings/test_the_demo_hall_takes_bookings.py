"""The demo hall has bookable services and a few bookings for today that can be checked in
at once, created once however often the demo starts."""

from __future__ import annotations

from sqlalchemy import func, select

from queue_server.demo import demo_hall_config
from queue_server.demo.bookings import seed_demo_bookings
from queue_server.domain.clock import ManualClock
from queue_server.services.bookings import CheckInRequest
from queue_server.storage.booking_tables import Booking
from tests.support.factories import local, make_services


def test_demo_bookings_for_today(sqlite_url: str) -> None:
    clock = ManualClock(local(2026, 11, 29, 21, 40))  # a Sunday evening: the demo is open
    services = make_services(sqlite_url, demo_hall_config(), clock=clock)
    try:
        config = services.halls.get("demo").config
        assert [s.code for s in config.services if s.slot_capacity] == ["SOC", "MED", "RES"]

        text = seed_demo_bookings(services.bookings, "demo", "http://127.0.0.1:8000")
        again = seed_demo_bookings(services.bookings, "demo", "http://127.0.0.1:8000")
        assert "http://127.0.0.1:8000/book/demo" in text
        assert "today 22:00-23:00" in text and "张*丰" in text
        with services.db.read() as session:
            rows = session.scalars(select(Booking)).all()
            assert session.scalar(select(func.count()).select_from(Booking)) == 3
        assert {f"{r.slot_start:%H:%M}" for r in rows} == {"14:00"}  # 22:00 in Shanghai
        assert again.splitlines()[-3:] == text.splitlines()[-3:]

        code = rows[0].code
        assert code in text
        result = services.bookings.check_in("demo", CheckInRequest(code=code))
        assert result.outcome == "on_time"
        assert result.ticket is not None and result.ticket.priority == "appointment"
    finally:
        services.db.engine.dispose()


def test_a_restart_later_the_same_day_lists_the_bookings_it_made(sqlite_url: str) -> None:
    """The demo's session starts at its own start (its slots stay on the hour): a restart
    while the bookings' slot is still to come shows their codes, and books nobody twice."""
    clock = ManualClock(local(2026, 11, 29, 21, 17))
    first = make_services(sqlite_url, demo_hall_config(clock.now()), clock=clock)
    text = seed_demo_bookings(first.bookings, "demo", "http://127.0.0.1:8000")
    first.db.engine.dispose()
    assert "today 22:00-23:00" in text  # slots stay on the hour
    clock.set(local(2026, 11, 29, 21, 40))
    second = make_services(sqlite_url, demo_hall_config(clock.now()), clock=clock)
    try:
        again = seed_demo_bookings(second.bookings, "demo", "http://127.0.0.1:8000")
        assert "not created" not in again
        assert again.splitlines()[-4:] == text.splitlines()[-4:]
        with second.db.read() as session:
            assert session.scalar(select(func.count()).select_from(Booking)) == 3
    finally:
        second.db.engine.dispose()
