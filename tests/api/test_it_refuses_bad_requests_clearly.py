"""Bad input gets a 4xx JSON error that says what is wrong, and writes nothing."""

from __future__ import annotations

from datetime import timedelta

from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from tests.support.api import Api
from tests.support.factories import local


def event_count(api: Api) -> int:
    return int(api.snapshot()["last_seq"])


def test_unknown_service(api: Api) -> None:
    response = api.issue("NOPE")
    assert response.status_code == 404
    assert "unknown service 'NOPE'" in response.json()["message"]


def test_unknown_hall_and_window(api: Api) -> None:
    assert api.http.get("/api/v1/halls/nowhere/snapshot").json()["error"] == "not_found"
    response = api.call_next(99)
    assert response.status_code == 404
    assert "unknown window 99" in response.json()["message"]


def test_malformed_body_names_the_field(api: Api) -> None:
    response = api.http.post(
        "/api/v1/halls/test/tickets", json={"service": "SOC", "priority": "vip"}
    )
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "invalid_request"
    assert "priority" in body["message"]
    response = api.http.post(
        "/api/v1/halls/test/tickets",
        content=b"{not json",
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422


def test_a_body_that_is_not_json_is_said_to_be_so(api: Api) -> None:
    response = api.http.post(
        "/api/v1/halls/test/tickets",
        content=b'{"service":',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "invalid_request"
    assert body["message"].startswith("body: not valid JSON")
    assert "at character 11" in body["message"], body["message"]
    assert [d["field"] for d in body["details"]] == ["body"]


def test_green_channel_not_offered_for_the_service(api: Api) -> None:
    response = api.issue("RES", "green")
    assert response.status_code == 422
    assert response.json()["error"] == "green_channel_not_offered"


def test_hall_closed_at_lunch_and_past_cutoff(api: Api, clock: ManualClock) -> None:
    clock.set(local(2026, 11, 25, 12, 30))
    response = api.issue()
    assert response.status_code == 409
    assert response.json()["error"] == "hall_closed"
    assert "opens again at 2026-11-25 14:00" in response.json()["message"]
    clock.set(local(2026, 11, 25, 17, 45))
    assert "cut-off" in api.issue().json()["message"]
    assert event_count(api) == 0


def test_window_that_does_not_serve_the_service(api: Api) -> None:
    ticket = api.ticket("RES")
    response = api.window(1, "call", {"ticket": ticket["number"], "reason": "x"})
    assert response.status_code == 422
    assert response.json()["error"] == "not_served_here"


def test_illegal_state_change_writes_nothing(api: Api) -> None:
    ticket = api.ticket()
    api.call_next(1)
    before = event_count(api)
    response = api.act(1, ticket["id"], "finish", {"case_type": "immediate"})
    assert response.status_code == 409
    assert "start serving" in response.json()["message"]
    assert event_count(api) == before
    assert api.http.get(f"/api/v1/tickets/{ticket['id']}").json()["state"] == "called"


def test_daily_cap(sqlite_url: str, clock: ManualClock) -> None:
    from queue_server.api.app import create_app
    from tests.support.auth import bearer, device_token
    from tests.support.factories import make_services, small_hall
    from tests.support.live_server import live_server

    services: Services = make_services(sqlite_url, small_hall(daily_cap=2), clock=clock)
    with live_server(create_app(services)) as server:
        api = Api(server.url, headers=bearer(device_token(services)))
        assert api.issue().status_code == 201
        assert api.issue().status_code == 201
        refused = api.issue()
        assert refused.status_code == 409
        assert refused.json()["error"] == "daily_cap_reached"
        clock.advance(timedelta(days=1))
        assert api.issue().status_code == 201, "the cap resets on the next day"
