"""Names, phones and ID numbers stay out of events, logs and API answers; the ID number is
stored only as a keyed hash and a masked form."""

from __future__ import annotations

import hashlib
import hmac
import logging

import pytest
from sqlalchemy import select

from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from queue_server.storage.booking_tables import Booking
from queue_server.storage.tables import Event
from tests.bookings.helpers import person
from tests.support.api import Api
from tests.support.factories import TEST_ID_KEY, local

BASE = "/api/v1/halls/test"
VISITOR = person(31, name="欧阳明月", phone="13655557777")
OTHER = person(32, name="司马光", phone="13566668888")
SECRETS = [v for p in (VISITOR, OTHER) for v in (p["name"], p["phone"], p["id_number"])]


def test_nothing_personal_in_answers_events_or_logs(
    public: Api,
    kiosk: Api,
    services: Services,
    clock: ManualClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    answers = []
    for who in (VISITOR, OTHER):
        body = {"service": "SOC", "slot_start": "2026-11-26T10:00:00+08:00", **who}
        answers.append(public.http.post(f"{BASE}/bookings", json=body))
    code, other_code = (a.json()["code"] for a in answers)
    answers.append(
        public.http.post(f"{BASE}/bookings/lookup", json={"code": code, "phone": VISITOR["phone"]})
    )
    answers.append(
        public.http.post(
            f"{BASE}/bookings/cancel", json={"code": other_code, "phone": OTHER["phone"]}
        )
    )
    answers.append(public.http.get(f"{BASE}/booking-slots"))
    clock.set(local(2026, 11, 26, 9, 50))
    answers.append(kiosk.http.post(f"{BASE}/bookings/check-in", json={"code": code}))
    answers.append(public.http.post(f"{BASE}/bookings", json={**VISITOR, "service": "SOC"}))
    answers.append(
        public.http.post(
            f"{BASE}/bookings",
            json={
                **VISITOR,
                "id_number": "110101199003070010",
                "service": "SOC",
                "slot_start": "x",
            },
        )
    )
    assert [a.status_code for a in answers] == [201, 201, 200, 200, 200, 200, 422, 422]
    assert answers[2].json()["name"] == "欧**月"
    assert answers[2].json()["phone"] == "136****7777"

    with services.db.read() as session:
        events = list(session.scalars(select(Event).where(Event.kind.like("booking.%"))))
        rows = list(session.scalars(select(Booking)))
    assert sorted(e.kind for e in events) == [
        "booking.cancelled",
        "booking.checked_in",
        "booking.created",
        "booking.created",
    ]
    places = [a.text for a in answers]
    places += [str(e.payload) for e in events]
    places += [r.getMessage() for r in caplog.records]
    for secret in SECRETS:
        assert not any(secret in place for place in places), secret

    stored = next(r for r in rows if r.code == code)
    expected = hmac.new(TEST_ID_KEY, VISITOR["id_number"].encode(), hashlib.sha256).hexdigest()
    assert stored.id_hash == expected
    assert stored.id_masked == VISITOR["id_number"][:4] + "*" * 10 + VISITOR["id_number"][-4:]
    columns = [str(getattr(stored, c.key)) for c in Booking.__table__.columns]
    assert VISITOR["id_number"] not in " ".join(columns)
