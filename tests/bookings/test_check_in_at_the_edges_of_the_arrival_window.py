"""Check-in from 30 minutes early to 15 minutes late, in the hall's time zone: the morning,
the first slot after the lunch break, the first working day after a holiday."""

from __future__ import annotations

import itertools
from datetime import datetime

import pytest

from queue_server.api.deps import Services
from queue_server.config.models import HallConfig
from queue_server.domain.clock import ManualClock
from queue_server.services.bookings import BookingRequest
from tests.bookings.helpers import booking_hall, person
from tests.support.api import Api
from tests.support.factories import local

BOTH_DATABASES = True  # see tests/bookings/conftest.py

serials = itertools.count(100)
BOOKED_AT = local(2026, 11, 25, 10, 0)


@pytest.fixture
def hall_config() -> HallConfig:
    return booking_hall(soc=10)


def check_in_at(
    services: Services,
    kiosk: Api,
    clock: ManualClock,
    slot: datetime,
    at: datetime,
    booked_at: datetime = BOOKED_AT,
) -> tuple[int, dict]:
    clock.set(booked_at)
    booking = services.bookings.book("test", BookingRequest("SOC", slot, **person(next(serials))))
    clock.set(at)
    response = kiosk.http.post("/api/v1/halls/test/bookings/check-in", json={"code": booking.code})
    return response.status_code, response.json()


MORNING = local(2026, 11, 26, 10, 0)
AFTER_LUNCH = local(2026, 11, 26, 14, 0)


@pytest.mark.parametrize(
    ("at", "outcome"),
    [
        (local(2026, 11, 26, 9, 29, 59), "too_early"),
        (local(2026, 11, 26, 9, 30), "on_time"),
        (local(2026, 11, 26, 10, 14, 59), "on_time"),
        (local(2026, 11, 26, 10, 15), "late"),
    ],
)
def test_a_morning_slot(
    services: Services, kiosk: Api, clock: ManualClock, at: datetime, outcome: str
) -> None:
    status, body = check_in_at(services, kiosk, clock, MORNING, at)
    assert status == 200, body
    assert body["outcome"] == outcome
    ticket = body["ticket"]
    if outcome == "too_early":
        assert ticket is None
        assert body["come_back_at"] == "2026-11-26T09:30:00+08:00"
    elif outcome == "on_time":
        assert ticket["priority"] == "appointment"
        assert body["booking"]["state"] == "checked_in"
    else:
        assert ticket["priority"] == "normal"
        assert body["booking"]["state"] == "no_show"  # the window closed without a check-in


def test_early_in_the_hall_time_zone_not_utc(
    services: Services, kiosk: Api, clock: ManualClock
) -> None:
    # 08:59 in Shanghai is 00:59 UTC the same day; 07:59 would be the day before in UTC.
    status, body = check_in_at(
        services, kiosk, clock, local(2026, 11, 26, 9, 0), local(2026, 11, 26, 7, 59)
    )
    assert status == 200 and body["outcome"] == "too_early", body
    # The window opens at 08:30, before the hall does: come back at opening time.
    assert body["come_back_at"] == "2026-11-26T09:00:00+08:00"


def test_too_early_the_visitor_may_take_a_normal_number_now(
    services: Services, kiosk: Api, clock: ManualClock
) -> None:
    clock.set(local(2026, 11, 25, 10, 0))
    booking = services.bookings.book("test", BookingRequest("SOC", MORNING, **person(1)))
    clock.set(local(2026, 11, 26, 9, 0))
    body = {"code": booking.code, "normal_if_early": True}
    answer = kiosk.http.post("/api/v1/halls/test/bookings/check-in", json=body).json()
    assert answer["outcome"] == "early_normal"
    assert answer["ticket"]["priority"] == "normal"
    again = kiosk.http.post("/api/v1/halls/test/bookings/check-in", json=body).json()
    assert again["replayed"] is True and again["ticket"]["id"] == answer["ticket"]["id"]


def test_the_first_slot_after_the_lunch_break(
    services: Services, kiosk: Api, clock: ManualClock
) -> None:
    status, body = check_in_at(services, kiosk, clock, AFTER_LUNCH, local(2026, 11, 26, 13, 29))
    assert body["outcome"] == "too_early"
    # The window opens at 13:30, in the break: come back when the hall opens again.
    assert body["come_back_at"] == "2026-11-26T14:00:00+08:00"

    status, body = check_in_at(services, kiosk, clock, AFTER_LUNCH, local(2026, 11, 26, 13, 45))
    assert status == 409 and body["error"] == "hall_closed", body
    assert "14:00" in body["message"]

    status, body = check_in_at(services, kiosk, clock, AFTER_LUNCH, local(2026, 11, 26, 14, 0))
    assert body["outcome"] == "on_time" and body["ticket"]["priority"] == "appointment"
    status, body = check_in_at(services, kiosk, clock, AFTER_LUNCH, local(2026, 11, 26, 14, 15))
    assert body["outcome"] == "late"


def test_the_first_working_day_after_a_holiday(
    services: Services, kiosk: Api, clock: ManualClock
) -> None:
    booked = local(2026, 9, 30, 10, 0)  # the eve of National Day (1-7 October)
    slot = local(2026, 10, 8, 9, 0)
    status, body = check_in_at(services, kiosk, clock, slot, local(2026, 10, 7, 9, 0), booked)
    assert status == 409 and body["error"] == "booking_not_today", body
    assert "2026-10-08" in body["message"]
    status, body = check_in_at(services, kiosk, clock, slot, local(2026, 10, 8, 8, 59), booked)
    assert status == 409 and body["error"] == "hall_closed"  # on time, but not open yet
    status, body = check_in_at(services, kiosk, clock, slot, local(2026, 10, 8, 9, 0), booked)
    assert body["outcome"] == "on_time"
    status, body = check_in_at(services, kiosk, clock, slot, local(2026, 10, 8, 9, 15), booked)
    assert body["outcome"] == "late"


def test_check_in_by_phone_and_code_or_by_id_number(
    services: Services, kiosk: Api, clock: ManualClock
) -> None:
    visitor = person(5)
    booking = services.bookings.book("test", BookingRequest("SOC", MORNING, **visitor))
    clock.set(local(2026, 11, 26, 9, 50))
    url = "/api/v1/halls/test/bookings/check-in"
    wrong = kiosk.http.post(url, json={"code": booking.code, "phone": "13900000000"})
    assert wrong.status_code == 404
    by_id = kiosk.http.post(url, json={"id_number": visitor["id_number"]}).json()
    assert by_id["outcome"] == "on_time"
    by_phone = kiosk.http.post(url, json={"code": booking.code, "phone": visitor["phone"]}).json()
    assert by_phone["replayed"] is True
    assert by_phone["ticket"]["number"] == by_id["ticket"]["number"]
    nothing = kiosk.http.post(url, json={})
    assert nothing.status_code == 422 and nothing.json()["error"] == "check_in_needs_code_or_id"
