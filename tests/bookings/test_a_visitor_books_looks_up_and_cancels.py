"""The portal's API, without a token: free slots, book, look up, cancel (until 2 hours
before), with clear 4xx answers naming what is wrong."""

from __future__ import annotations

from queue_server.domain.clock import ManualClock
from tests.bookings.helpers import person
from tests.support.api import Api
from tests.support.factories import local

BOTH_DATABASES = True  # see tests/bookings/conftest.py

BASE = "/api/v1/halls/test"
SLOT = "2026-11-26T09:00:00+08:00"


def book(api: Api, serial: int = 1, slot: str = SLOT, service: str = "SOC", **changes: str):
    body = {"service": service, "slot_start": slot, **person(serial, **changes)}
    return api.http.post(f"{BASE}/bookings", json=body)


def test_free_slots_count_down_as_visitors_book(public: Api) -> None:
    def free() -> int:
        slots = public.http.get(f"{BASE}/booking-slots", params={"service": "SOC"}).json()
        return next(s["free"] for s in slots if s["start"] == SLOT)

    assert free() == 2
    assert book(public, 1).status_code == 201
    assert free() == 1
    every = public.http.get(f"{BASE}/booking-slots").json()
    assert {s["service"] for s in every} == {"SOC", "TAX"}  # RES is walk-in only


def test_a_booking_answers_with_a_code_and_masked_data(public: Api) -> None:
    response = book(public, 1, name="张三丰", phone="13812345678")
    assert response.status_code == 201, response.text
    booking = response.json()
    assert len(booking["code"]) == 6 and booking["state"] == "booked"
    assert booking["name"] == "张*丰"
    assert booking["phone"] == "138****5678"
    assert booking["id_number"] == "1101**********0011"
    assert person(1)["id_number"] not in response.text

    found = public.http.post(
        f"{BASE}/bookings/lookup", json={"code": booking["code"].lower(), "phone": "13812345678"}
    )
    assert found.status_code == 200 and found.json()["code"] == booking["code"]
    wrong = public.http.post(
        f"{BASE}/bookings/lookup", json={"code": booking["code"], "phone": "13900000000"}
    )
    assert wrong.status_code == 404
    assert wrong.json()["error"] == "booking_not_found"


def test_bad_requests_are_refused_clearly(public: Api) -> None:
    checks = [
        (book(public, 1, id_number="110101199003070010"), 422, "invalid_id_number"),
        (book(public, 1, phone="12345678901"), 422, "invalid_phone"),
        (book(public, 1, slot="2026-11-26T09:30:00+08:00"), 422, "not_a_slot"),
        (book(public, 1, slot="2026-11-26T12:00:00+08:00"), 422, "not_a_slot"),  # lunch
        (book(public, 1, slot="2026-11-28T09:00:00+08:00"), 422, "not_a_slot"),  # Saturday
        (book(public, 1, slot="2026-12-10T09:00:00+08:00"), 422, "beyond_horizon"),
        (book(public, 1, slot="2026-11-25T09:00:00+08:00"), 422, "slot_past"),
        (book(public, 1, service="RES"), 422, "not_bookable"),
        (book(public, 1, service="NOPE"), 404, "not_found"),
        (book(public, 1, slot="9999-12-31T23:00:00+14:00"), 422, "beyond_horizon"),
        (book(public, 1, slot="0001-01-01T00:00:00"), 422, "not_a_slot"),
    ]
    for response, status, code in checks:
        assert response.status_code == status, response.text
        body = response.json()
        assert body["error"] == code, body
        assert body["message"]


def test_the_last_place_then_full(public: Api) -> None:
    assert book(public, 1, service="TAX").status_code == 201
    full = book(public, 2, service="TAX")
    assert full.status_code == 409
    assert full.json()["error"] == "slot_full"
    assert "09:00" in full.json()["message"]


def test_one_booking_per_person_per_day(public: Api) -> None:
    assert book(public, 1).status_code == 201
    again = book(public, 1, slot="2026-11-26T14:00:00+08:00")
    assert again.status_code == 409
    assert again.json()["error"] == "already_booked_that_day"
    assert book(public, 1, slot="2026-11-27T14:00:00+08:00").status_code == 201  # next day


def test_cancel_until_two_hours_before_frees_the_place(public: Api, clock: ManualClock) -> None:
    booking = book(public, 1, service="TAX").json()
    body = {"code": booking["code"], "phone": person(1)["phone"]}
    clock.set(local(2026, 11, 26, 7, 0, 1))  # 1 h 59 min before 09:00
    late = public.http.post(f"{BASE}/bookings/cancel", json=body)
    assert late.status_code == 422
    assert late.json()["error"] == "too_late_to_cancel"
    assert "07:00" in late.json()["message"]

    clock.set(local(2026, 11, 26, 7, 0))  # exactly 2 hours before
    cancelled = public.http.post(f"{BASE}/bookings/cancel", json=body)
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
    assert book(public, 2, service="TAX").status_code == 201  # the place is free again
    twice = public.http.post(f"{BASE}/bookings/cancel", json=body)
    assert twice.status_code == 409


def test_a_time_without_offset_is_the_halls_local_time(public: Api) -> None:
    response = book(public, 1, slot="2026-11-26T09:00:00")
    assert response.status_code == 201, response.text
    assert response.json()["slot_start"] == SLOT
