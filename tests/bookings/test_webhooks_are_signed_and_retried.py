"""Webhooks for booking, cancellation, the day before and "N places from the front", to a
real receiver on loopback that checks every HMAC-SHA256 signature; a failed delivery is
retried later."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from queue_server.api.app import create_app
from queue_server.api.deps import Services
from queue_server.config.models import HallConfig
from queue_server.domain.clock import ManualClock
from queue_server.domain.tickets import Priority
from queue_server.services.bookings import BookingRequest, CheckInRequest
from queue_server.services.bookings.tasks import sweep
from queue_server.services.bookings.webhooks import WebhookDispatcher
from queue_server.services.tickets import IssueRequest
from queue_server.storage.booking_tables import WebhookOutbox
from tests.bookings.helpers import booking_hall, person
from tests.support.factories import local
from tests.support.live_server import live_server
from tests.support.webhook_receiver import SECRET, Receiver

BOTH_DATABASES = True  # see tests/bookings/conftest.py


@pytest.fixture
def hall_config(receiver: Receiver, tmp_path: Path) -> HallConfig:
    secret = tmp_path / "webhook.secret"
    secret.write_text(SECRET + "\n")
    return booking_hall(webhook_url=receiver.url, webhook_secret_file=str(secret), remind_places=1)


@pytest.fixture
def dispatcher(services: Services) -> Iterator[WebhookDispatcher]:
    running = WebhookDispatcher(services.db, services.halls, services.clock)
    yield running
    running.close()


VISITOR = person(8, name="王小明", phone="13700001111")


def test_booked_and_cancelled_with_a_retry(
    services: Services, clock: ManualClock, receiver: Receiver, dispatcher: WebhookDispatcher
) -> None:
    booking = services.bookings.book(
        "test", BookingRequest("SOC", local(2026, 11, 26, 15, 0), **VISITOR)
    )
    receiver.fail_next = 1
    assert dispatcher.deliver_due() == 0  # the receiver answered 503
    assert dispatcher.deliver_due() == 0  # not due again yet
    clock.advance(timedelta(seconds=10))
    assert dispatcher.deliver_due() == 1
    services.bookings.cancel("test", booking.code, VISITOR["phone"])
    assert dispatcher.deliver_due() == 1

    assert receiver.bad_signatures == 0
    assert receiver.events() == ["booking.booked", "booking.cancelled"]
    booked = receiver.received[0]
    assert booked["booking"]["code"] == booking.code
    assert booked["booking"]["phone"] == "13700001111"  # for the hall's SMS gateway
    assert booked["booking"]["name_masked"] == "王*明"
    assert VISITOR["id_number"] not in json.dumps(receiver.received)
    assert receiver.received[1]["booking"]["state"] == "cancelled"
    with services.db.read() as session:
        rows = list(session.scalars(select(WebhookOutbox).order_by(WebhookOutbox.id)))
    assert [(r.attempts, r.delivered_at is not None) for r in rows] == [(2, True), (1, True)]


def test_the_day_before_and_near_the_front(
    services: Services, clock: ManualClock, receiver: Receiver, dispatcher: WebhookDispatcher
) -> None:
    booking = services.bookings.book(
        "test", BookingRequest("SOC", local(2026, 11, 26, 10, 0), **VISITOR)
    )
    dispatcher.deliver_due()
    sweep(services.bookings)  # 25 November: the day before
    sweep(services.bookings)  # only once
    dispatcher.deliver_due()
    assert receiver.events() == ["booking.booked", "booking.reminder"]

    clock.set(local(2026, 11, 26, 9, 40))
    for _ in range(3):
        services.queue.issue("test", IssueRequest("SOC", Priority.GREEN))
    services.bookings.check_in("test", CheckInRequest(code=booking.code))
    sweep(services.bookings)
    dispatcher.deliver_due()
    assert receiver.events()[-1] == "booking.reminder"  # 3 ahead: not near yet

    for _ in range(2):  # two green tickets are called: one person ahead is left
        ticket = services.queue.call_next("test", 3)
        assert ticket is not None
        services.queue.no_show("test", 3, ticket.id)
    sweep(services.bookings)
    sweep(services.bookings)
    dispatcher.deliver_due()
    assert receiver.events() == ["booking.booked", "booking.reminder", "booking.near_front"]
    assert receiver.received[-1]["places_ahead"] == 1
    assert receiver.bad_signatures == 0


def test_a_tampered_body_does_not_verify() -> None:
    from queue_server.services.bookings.webhooks import sign, verify

    body = b'{"event":"booking.booked"}'
    signature = sign(SECRET.encode(), 1764035400, body)
    assert verify(SECRET.encode(), "1764035400", body, signature)
    assert not verify(SECRET.encode(), "1764035400", body.replace(b"booked", b"cancel"), signature)
    assert not verify(SECRET.encode(), "1764035401", body, signature)


def test_the_server_delivers_by_itself(services: Services, receiver: Receiver) -> None:
    services.bookings.deliver_every = 0.05
    with live_server(create_app(services)) as server:
        response = httpx.post(
            f"{server.url}/api/v1/halls/test/bookings",
            json={"service": "SOC", "slot_start": "2026-11-26T15:00:00+08:00", **VISITOR},
        )
        assert response.status_code == 201, response.text
        deadline = time.monotonic() + 10
        while receiver.events() != ["booking.booked"]:
            assert time.monotonic() < deadline, "the webhook never arrived"
            time.sleep(0.05)
    assert receiver.bad_signatures == 0
