"""Security review, finding 5 (docs/reliability.md): 96 anonymous requests with made-up ID numbers
(valid check digits) filled every SOC slot of a day in 2 s, and one phone was accepted for many
bookings. Online bookings are now limited per address, per phone and per ID number: 429 with
Retry-After."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest

from queue_server.api.app import create_app
from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from tests.bookings.helpers import booking_hall, id_number, person
from tests.support.auth import duty_lead_headers
from tests.support.factories import make_services
from tests.support.live_server import LiveServer, live_server

SLOTS = "/api/v1/halls/test/booking-slots"
BOOK = "/api/v1/halls/test/bookings"


@pytest.fixture
def running(sqlite_url: str, clock: ManualClock) -> Iterator[tuple[LiveServer, Services]]:
    services = make_services(sqlite_url, booking_hall(soc=2), clock=clock)
    services.bookings.sweep_every = 3600.0
    try:
        with live_server(create_app(services)) as server:
            yield server, services
    finally:
        services.db.engine.dispose()


def test_one_address_cannot_fill_the_slots(
    running: tuple[LiveServer, Services], clock: ManualClock
) -> None:
    server, services = running
    limit = services.bookings.limits.per_address
    with httpx.Client(base_url=server.url, timeout=30) as http:
        slots = [s["start"] for s in http.get(SLOTS, params={"service": "SOC"}).json()]
        places = 2 * len(slots)
        assert places > limit + 5
        answers = [
            http.post(BOOK, json={"service": "SOC", "slot_start": slots[n // 2], **person(n)})
            for n in range(limit + 5)
        ]
        assert [a.status_code for a in answers] == [201] * limit + [429] * 5
        refused = answers[-1]
        assert refused.json()["error"] == "too_many_bookings"
        assert "address" in refused.json()["message"]
        wait = int(refused.headers["Retry-After"])
        assert 0 < wait <= 3600
        free = sum(s["free"] for s in http.get(SLOTS, params={"service": "SOC"}).json())
        assert free == places - limit
        # The duty lead booking for visitors at the desk is not an anonymous address.
        lead = duty_lead_headers(services)
        at_desk = {"service": "SOC", "slot_start": slots[-1], **person(900)}
        assert http.post(BOOK, json=at_desk, headers=lead).status_code == 201
        clock.advance(timedelta(seconds=wait))
        later = {"service": "SOC", "slot_start": slots[-2], **person(901)}
        assert http.post(BOOK, json=later).status_code == 201


def test_one_phone_or_one_id_number_cannot_book_again_and_again(
    running: tuple[LiveServer, Services],
) -> None:
    server, services = running
    limits = services.bookings.limits
    with httpx.Client(base_url=server.url, timeout=30) as http:
        slots = [s["start"] for s in http.get(SLOTS, params={"service": "SOC"}).json()]
        days = sorted({s[:10] for s in slots})
        by_day = [next(s for s in slots if s.startswith(d)) for d in days]
        same_phone = [
            http.post(BOOK, json={"service": "SOC", "slot_start": by_day[n % len(by_day)],
                                  **person(n, phone="13912345678")})
            for n in range(limits.per_phone + 1)
        ]  # fmt: skip
        assert [a.status_code for a in same_phone] == [201] * limits.per_phone + [429]
        assert "phone" in same_phone[-1].json()["message"]
        assert int(same_phone[-1].headers["Retry-After"]) > 0
        one_id = id_number(77)
        same_id = [
            http.post(BOOK, json={"service": "SOC", "slot_start": by_day[n],
                                  **person(100 + n, id_number=one_id)})
            for n in range(min(limits.per_id_number + 1, len(by_day)))
        ]  # fmt: skip
        assert [a.status_code for a in same_id][: limits.per_id_number] == [201] * min(
            limits.per_id_number, len(by_day)
        )
        if len(by_day) > limits.per_id_number:
            assert same_id[-1].status_code == 429
            assert "ID number" in same_id[-1].json()["message"]
