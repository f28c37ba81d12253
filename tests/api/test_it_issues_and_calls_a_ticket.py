"""Take a number at a kiosk and call it from a window, through a real uvicorn on loopback."""

from __future__ import annotations

import httpx

from queue_server.api.deps import Services
from tests.support.auth import bearer, clerk_at, device_token
from tests.support.live_server import LiveServer


def test_it_issues_a_numbered_ticket_with_a_wait_estimate(
    server: LiveServer, services: Services
) -> None:
    kiosk = bearer(device_token(services))
    response = httpx.post(
        f"{server.url}/api/v1/halls/test/tickets", json={"service": "SOC"}, headers=kiosk
    )
    assert response.status_code == 201
    body = response.json()
    assert body["number"] == "A001"
    assert body["state"] == "waiting"
    assert body["ahead"] == 0
    assert body["estimated_wait"]["low_minutes"] <= body["estimated_wait"]["high_minutes"]


def test_it_calls_the_ticket_at_a_window_that_serves_it(
    server: LiveServer, services: Services
) -> None:
    kiosk = bearer(device_token(services))
    clerk = clerk_at(services, 1).headers
    issued = httpx.post(
        f"{server.url}/api/v1/halls/test/tickets", json={"service": "SOC"}, headers=kiosk
    ).json()
    called = httpx.post(f"{server.url}/api/v1/halls/test/windows/1/call-next", headers=clerk)
    assert called.status_code == 200
    assert called.json()["id"] == issued["id"]
    assert called.json()["state"] == "called"
    assert called.json()["window"] == 1


def test_it_answers_204_when_nothing_waits(server: LiveServer, services: Services) -> None:
    clerk = clerk_at(services, 2).headers
    url = f"{server.url}/api/v1/halls/test/windows/2/call-next"
    assert httpx.post(url, headers=clerk).status_code == 204
