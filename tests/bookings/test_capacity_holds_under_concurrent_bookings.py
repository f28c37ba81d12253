"""Many visitors racing for the last places of a slot, through two server processes' worth
of connections (two service stacks on one database): never more bookings than places, and
one person never gets two bookings on a day. On SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import datetime

import pytest
from sqlalchemy import func, select

from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from queue_server.domain.errors import RuleViolation
from queue_server.services.bookings import BookingRequest
from queue_server.storage.booking_tables import Booking, BookingSlot
from tests.bookings.helpers import booking_hall, person
from tests.support.factories import OPEN_MORNING, local, make_services

SLOT = local(2026, 11, 26, 9, 0)
RACERS = 16


@pytest.fixture
def two_stacks(database_url: str) -> Iterator[tuple[Services, Services]]:
    clock = ManualClock(OPEN_MORNING)
    first = make_services(database_url, booking_hall(soc=3), clock=clock)
    second = make_services(database_url, booking_hall(soc=3), clock=clock)
    yield first, second
    first.db.engine.dispose()
    second.db.engine.dispose()


def race(jobs: list[Callable[[], object]]) -> list[str]:
    """Run every job at once; each outcome is 'ok' or the refusal's code."""
    barrier = threading.Barrier(len(jobs))
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(job: Callable[[], object]) -> None:
        barrier.wait()
        try:
            job()
            result = "ok"
        except RuleViolation as exc:
            result = exc.code
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(outcomes) == len(jobs)
    return outcomes


def test_the_last_places_go_to_exactly_as_many_visitors(
    two_stacks: tuple[Services, Services],
) -> None:
    first, second = two_stacks
    first.bookings.book("test", BookingRequest("SOC", SLOT, **person(900)))  # 2 places left

    def book(stack: Services, serial: int) -> Callable[[], object]:
        return lambda: stack.bookings.book("test", BookingRequest("SOC", SLOT, **person(serial)))

    outcomes = race([book((first, second)[i % 2], i) for i in range(RACERS)])

    assert Counter(outcomes) == {"ok": 2, "slot_full": RACERS - 2}
    with first.db.read() as session:
        active = session.scalar(
            select(func.count()).where(Booking.slot_start == SLOT, Booking.state == "booked")
        )
        counter = session.scalar(select(BookingSlot.booked).where(BookingSlot.slot_start == SLOT))
    assert active == 3
    assert counter == 3
    [listed] = [s for s in first.bookings.free_slots("test", "SOC") if s.start == SLOT]
    assert listed.free == 0


def test_one_person_gets_one_booking_a_day_however_fast_they_click(
    two_stacks: tuple[Services, Services],
) -> None:
    first, second = two_stacks
    same = person(7)
    slots = [local(2026, 11, 26, h, 0) for h in (9, 10, 11, 14, 15, 16, 17)]

    def book(stack: Services, start: datetime) -> Callable[[], object]:
        return lambda: stack.bookings.book("test", BookingRequest("SOC", start, **same))

    outcomes = race([book((first, second)[i % 2], s) for i, s in enumerate(slots)])

    assert Counter(outcomes) == {"ok": 1, "already_booked_that_day": len(slots) - 1}
    with first.db.read() as session:
        booked = session.scalar(select(func.sum(BookingSlot.booked)))
    assert booked == 1  # the refused attempts gave their places back (rolled back)
