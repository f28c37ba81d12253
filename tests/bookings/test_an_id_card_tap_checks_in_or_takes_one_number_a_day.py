"""刷身份证 at the server, through the API a kiosk uses: today's booking is checked in; with
none, every service is offered with the green channel by age (where the service has one);
the ticket is linked to the keyed hash, so a second tap shows it instead of issuing; the
hall's daily limit holds with two kiosks at once; refused numbers leave nothing behind; the
retention purge clears the link; nothing personal is stored, answered or put in events."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import select

from queue_server.api.deps import Services
from queue_server.config.models import HallConfig, IdCardSection
from queue_server.domain.clock import ManualClock
from queue_server.services.bookings import BookingRequest
from queue_server.services.retention import RetentionService
from queue_server.storage.id_card_tables import IdCardTicket
from queue_server.storage.tables import Event, Ticket
from tests.bookings.helpers import booking_hall, id_number, person
from tests.support.api import Api
from tests.support.factories import local
from tests.support.privacy_scan import personal_data

BOTH_DATABASES = True  # the seat index under a race (see tests/bookings/conftest.py)

ELDER = id_number(61, born="19500307")  # 76 on 2026-11-25
YOUNG = id_number(62, born="19900307")
BIRTHDAY_TOMORROW = id_number(63, born="19561126")  # 69 today, 70 tomorrow


@pytest.fixture
def hall_config(request: pytest.FixtureRequest) -> HallConfig:
    limit = getattr(request, "param", 1)
    return booking_hall().model_copy(
        update={"id_card": IdCardSection(tickets_per_person_per_day=limit)}
    )


def present(api: Api, number: str) -> dict[str, Any]:
    response = api.http.post("/api/v1/halls/test/id-card/present", json={"id_number": number})
    assert response.status_code == 200, response.text
    return dict(response.json())


def take(api: Api, number: str, service: str, key: str) -> Any:
    return api.http.post(
        "/api/v1/halls/test/id-card/tickets",
        json={"id_number": number, "service": service},
        headers={"Idempotency-Key": key},
    )


def test_no_booking_offers_the_services_with_the_green_channel_by_age(
    kiosk: Api, services: Services, clock: ManualClock
) -> None:
    clock.set(local(2026, 11, 25, 10, 0))
    elder = present(kiosk, ELDER)
    assert elder["outcome"] == "choose" and elder["green_by_age"] is True
    offers = {o["service"]: o["priority"] for o in elder["offers"]}
    assert offers == {"SOC": "green", "TAX": "green", "RES": "normal"}  # RES: no green channel
    young = present(kiosk, YOUNG)
    assert {o["priority"] for o in young["offers"]} == {"normal"} and not young["green_by_age"]
    assert present(kiosk, BIRTHDAY_TOMORROW)["green_by_age"] is False
    clock.set(local(2026, 11, 26, 10, 0))
    assert present(kiosk, BIRTHDAY_TOMORROW)["green_by_age"] is True

    issued = take(kiosk, ELDER, "SOC", "k-1")
    assert issued.status_code == 201, issued.text
    assert issued.json()["ticket"]["priority"] == "green"
    assert take(kiosk, YOUNG, "RES", "k-2").json()["ticket"]["priority"] == "normal"


def test_a_second_tap_shows_the_ticket_taken_and_issues_nothing(
    kiosk: Api, services: Services
) -> None:
    first = take(kiosk, YOUNG, "SOC", "k-1")
    assert first.status_code == 201
    again = take(kiosk, YOUNG, "SOC", "k-1")  # the kiosk retrying after a lost answer
    assert again.status_code == 200 and again.json()["replayed"] is True
    assert again.json()["ticket"]["number"] == first.json()["ticket"]["number"]
    shown = present(kiosk, YOUNG)
    assert shown["outcome"] == "taken"
    assert [t["number"] for t in shown["tickets"]] == [first.json()["ticket"]["number"]]
    other = take(kiosk, YOUNG, "TAX", "k-3")  # a tap on another kiosk meanwhile
    assert other.status_code == 200 and other.json()["outcome"] == "taken"
    with services.db.read() as session:
        assert len(list(session.scalars(select(Ticket)))) == 1


@pytest.mark.parametrize("hall_config", [2], indirect=True)
def test_two_kiosks_at_once_cannot_pass_the_daily_limit(kiosk: Api, services: Services) -> None:
    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(lambda i: take(kiosk, ELDER, "SOC", f"race-{i}"), range(6)))
    outcomes = sorted(a.json()["outcome"] for a in answers if a.status_code < 300)
    assert outcomes.count("issued") == 2, [a.text for a in answers]
    assert all(a.status_code in (200, 201, 409) for a in answers)
    with services.db.read() as session:
        assert len(list(session.scalars(select(Ticket)))) == 2
    assert present(kiosk, ELDER)["outcome"] == "taken"


def test_a_booking_of_today_is_checked_in(
    kiosk: Api, services: Services, clock: ManualClock
) -> None:
    visitor = person(64, id_number=ELDER)
    services.bookings.book("test", BookingRequest("SOC", local(2026, 11, 26, 10, 0), **visitor))
    clock.set(local(2026, 11, 26, 9, 50))
    answer = present(kiosk, ELDER)
    assert answer["outcome"] == "check_in"
    assert answer["check_in"]["outcome"] == "on_time"
    assert answer["check_in"]["ticket"]["priority"] == "appointment"
    assert answer["check_in"]["booking"]["name"] == "张*丰"
    again = present(kiosk, ELDER)  # a second tap: the same ticket, as a code entered again
    assert again["check_in"]["replayed"] is True
    assert again["check_in"]["ticket"]["number"] == answer["check_in"]["ticket"]["number"]


def test_a_refused_number_leaves_no_seat(
    kiosk: Api, services: Services, clock: ManualClock
) -> None:
    clock.set(local(2026, 11, 25, 12, 30))  # lunch break
    refused = take(kiosk, YOUNG, "SOC", "k-1")
    assert refused.status_code == 409 and refused.json()["error"] == "hall_closed"
    clock.set(local(2026, 11, 25, 14, 5))
    assert take(kiosk, YOUNG, "SOC", "k-2").status_code == 201


def test_a_wrong_number_is_refused_in_chinese_and_english(kiosk: Api) -> None:
    wrong = YOUNG[:-1] + ("0" if YOUNG[-1] != "0" else "1")
    response = kiosk.http.post("/api/v1/halls/test/id-card/present", json={"id_number": wrong})
    assert response.status_code in (400, 422)
    assert response.json()["error"] == "invalid_id_number"
    anonymous = Api(kiosk.http.base_url.__str__())
    assert (
        anonymous.http.post(
            "/api/v1/halls/test/id-card/present", json={"id_number": YOUNG}
        ).status_code
        == 401
    )


def test_nothing_personal_is_kept_and_the_purge_clears_the_link(
    kiosk: Api, services: Services, clock: ManualClock
) -> None:
    answer = take(kiosk, ELDER, "SOC", "k-1")
    assert answer.status_code == 201
    present(kiosk, ELDER)
    with services.db.read() as session:
        link = session.scalars(select(IdCardTicket)).one()
        events = [json.dumps(e.payload, ensure_ascii=False) for e in session.scalars(select(Event))]
        rows = [
            json.dumps({c.name: str(getattr(r, c.name)) for c in r.__table__.columns})
            for model in (IdCardTicket, Ticket)
            for r in session.scalars(select(model))
        ]
    assert link.id_hash and ELDER not in link.id_hash and len(link.id_hash) == 64
    for text in [*events, *rows, answer.text]:
        assert ELDER not in text and ELDER[6:14] not in text
        assert personal_data(text) == []
    clock.set(local(2026, 12, 28, 10, 0))  # 33 days later: past [retention] visit_days (30)
    result = RetentionService(services.db, services.halls, clock).purge("test")
    assert result.rows["id_card_tickets.business_day"] == 1
    with services.db.read() as session:
        purged = session.scalars(select(IdCardTicket)).one()
    assert purged.id_hash is None and purged.ticket_id == link.ticket_id
