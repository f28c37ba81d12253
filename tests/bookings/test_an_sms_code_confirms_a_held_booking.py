"""The optional SMS check: with `verify_by_sms` a booking from the page is held (its place
reserved) until the visitor types the code the hall's webhook sent to the phone; wrong codes
are counted, a hold not confirmed in time lapses and frees the place. A real receiver on
loopback captures the code, as the hall's SMS gateway would."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from queue_server.api.deps import Services
from queue_server.config.models import HallConfig
from queue_server.domain.clock import ManualClock
from queue_server.services.bookings.tasks import sweep
from tests.bookings.helpers import booking_hall, person
from tests.support.api import Api
from tests.support.factories import local
from tests.support.webhook_receiver import SECRET, Receiver

BOTH_DATABASES = True  # see tests/bookings/conftest.py

BOOK = "/api/v1/halls/test/bookings"
CONFIRM = "/api/v1/halls/test/bookings/confirm"
SLOTS = "/api/v1/halls/test/booking-slots"
SLOT = local(2026, 11, 26, 15, 0).isoformat()


@pytest.fixture
def hall_config(receiver: Receiver, tmp_path: Path) -> HallConfig:
    secret = tmp_path / "webhook.secret"
    secret.write_text(SECRET + "\n")
    return booking_hall(
        soc=2,
        webhook_url=receiver.url,
        webhook_secret_file=str(secret),
        verify_by_sms=True,
        verify_minutes=10,
        verify_attempts=3,
    )


@pytest.fixture
def fast_delivery(services: Services) -> None:
    services.bookings.deliver_every = 0.1


def sent_code(receiver: Receiver, booking_code: str) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for body in receiver.received:
            if body["event"] == "booking.verify" and body["booking"]["code"] == booking_code:
                return body
        time.sleep(0.05)
    raise AssertionError(f"no booking.verify webhook for {booking_code}: {receiver.received}")


def free_places(public: Api) -> int:
    slots = public.http.get(SLOTS, params={"service": "SOC"}).json()
    return next(s["free"] for s in slots if s["start"] == SLOT)


def book(public: Api, serial: int) -> dict[str, Any]:
    answer = public.http.post(BOOK, json={"service": "SOC", "slot_start": SLOT, **person(serial)})
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


def confirm(public: Api, booking: dict[str, Any], serial: int, code: str) -> Any:
    body = {"code": booking["code"], "phone": person(serial)["phone"], "sms_code": code}
    return public.http.post(CONFIRM, json=body)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_the_code_from_the_phone_confirms_the_booking(
    fast_delivery: None, public: Api, kiosk: Api, receiver: Receiver
) -> None:
    held = book(public, 1)
    assert held["awaiting_sms_code"] is True
    assert held["hold_until"] is not None
    assert free_places(public) == 1  # the place is reserved while held
    sent = sent_code(receiver, held["code"])
    assert receiver.bad_signatures == 0
    assert sent["booking"]["phone"] == person(1)["phone"]
    code = sent["verification_code"]
    assert len(code) == 6 and code.isdigit()
    assert "booking.booked" not in receiver.events()

    not_yet = kiosk.http.post("/api/v1/halls/test/bookings/check-in", json={"code": held["code"]})
    assert not_yet.status_code == 409
    assert not_yet.json()["error"] == "booking_not_confirmed"

    refused = confirm(public, held, 1, wrong(code))
    assert refused.status_code == 422
    assert refused.json()["error"] == "confirmation_code_wrong"
    assert "2 attempts left" in refused.json()["message"]

    confirmed = confirm(public, held, 1, code)
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["awaiting_sms_code"] is False
    assert confirm(public, held, 1, code).status_code == 200  # a retry changes nothing
    deadline = time.monotonic() + 30
    while "booking.booked" not in receiver.events() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "booking.booked" in receiver.events()
    assert free_places(public) == 1


def test_an_unconfirmed_hold_lapses_and_frees_its_place(
    services: Services, clock: ManualClock, public: Api, receiver: Receiver
) -> None:
    first = book(public, 1)
    second = book(public, 2)
    assert free_places(public) == 0
    full = public.http.post(BOOK, json={"service": "SOC", "slot_start": SLOT, **person(3)})
    assert full.json()["error"] == "slot_full"

    clock.advance(timedelta(minutes=9))
    sweep(services.bookings)
    assert free_places(public) == 0  # not yet: 10 minutes to confirm
    clock.advance(timedelta(minutes=1))
    sweep(services.bookings)
    assert free_places(public) == 2
    late = confirm(public, first, 1, services.bookings.sms_code_of(_id(services, first)))
    assert late.status_code == 409
    assert late.json()["error"] == "confirmation_expired"
    lookup = public.http.post(
        "/api/v1/halls/test/bookings/lookup",
        json={"code": second["code"], "phone": person(2)["phone"]},
    )
    assert lookup.json()["state"] == "expired"
    assert book(public, 3)["awaiting_sms_code"] is True


def test_too_many_wrong_codes_end_the_hold(
    services: Services, public: Api, receiver: Receiver
) -> None:
    held = book(public, 4)
    right = services.bookings.sms_code_of(_id(services, held))
    answers = [confirm(public, held, 4, wrong(right)) for _ in range(3)]
    assert [a.status_code for a in answers] == [422, 422, 409]
    assert answers[-1].json()["error"] == "confirmation_attempts_used"
    assert free_places(public) == 2
    # The right code is no use once the hold has ended.
    assert confirm(public, held, 4, right).json()["error"] == "confirmation_expired"


def _id(services: Services, booking: dict[str, Any]) -> str:
    from sqlalchemy import select

    from queue_server.storage.booking_tables import Booking

    with services.db.read() as session:
        return str(session.scalar(select(Booking.id).where(Booking.code == booking["code"])))
