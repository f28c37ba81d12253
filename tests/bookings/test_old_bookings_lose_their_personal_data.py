"""The retention purge clears a booking's name, phone and ID number (hash and masked form)
`[retention] booking_days` after its slot, and keeps the booking's facts."""

from __future__ import annotations

from sqlalchemy import select

from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from queue_server.services.bookings import BookingRequest
from queue_server.services.retention import RetentionService
from queue_server.storage.booking_tables import Booking, BookingNoShow
from tests.bookings.helpers import person
from tests.support.factories import local

BOTH_DATABASES = True  # see tests/bookings/conftest.py


def test_the_purge_clears_old_bookings_only(services: Services, clock: ManualClock) -> None:
    old = services.bookings.book(
        "test", BookingRequest("SOC", local(2026, 11, 26, 9, 0), **person(1))
    )
    clock.set(local(2026, 11, 26, 12, 0))
    services.bookings.mark_no_shows("test")
    clock.set(local(2027, 2, 23, 10, 0))  # 89 days after the slot
    recent = services.bookings.book(
        "test", BookingRequest("SOC", local(2027, 2, 24, 9, 0), **person(2))
    )
    purge = RetentionService(services.db, services.halls, clock)
    assert purge.purge("test").rows["bookings.slot_start"] == 0

    clock.set(local(2027, 2, 26, 10, 0))
    result = purge.purge("test")
    assert result.rows["bookings.slot_start"] == 1
    assert result.rows["booking_no_shows.business_day"] == 1
    with services.db.read() as session:
        rows = {b.id: b for b in session.scalars(select(Booking))}
        no_show = session.scalars(select(BookingNoShow)).one()
    purged, kept = rows[old.id], rows[recent.id]
    assert (purged.name, purged.phone, purged.id_hash, purged.id_masked) == ("*", None, None, "*")
    assert (purged.state, purged.service_code, purged.code) == ("no_show", "SOC", old.code)
    assert no_show.id_hash is None
    assert kept.name == "张三丰" and kept.phone == person(2)["phone"] and kept.id_hash
    assert services.bookings.lookup("test", recent.code, person(2)["phone"]).state == "booked"
