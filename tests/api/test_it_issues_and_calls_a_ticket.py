"""Take a number and call it, through a real uvicorn on loopback."""

from __future__ import annotations

import httpx

from tests.support.live_server import LiveServer


def test_it_issues_a_numbered_ticket_with_a_wait_estimate(server: LiveServer) -> None:
    response = httpx.post(f"{server.url}/api/v1/halls/test/tickets", json={"service": "SOC"})
    assert response.status_code == 201
    body = response.json()
    assert body["number"] == "A001"
    assert body["state"] == "waiting"
    assert body["ahead"] == 0
    assert body["estimated_wait"]["low_minutes"] <= body["estimated_wait"]["high_minutes"]


def test_it_calls_the_ticket_at_a_window_that_serves_it(server: LiveServer) -> None:
    issued = httpx.post(f"{server.url}/api/v1/halls/test/tickets", json={"service": "SOC"}).json()
    called = httpx.post(f"{server.url}/api/v1/halls/test/windows/1/call-next")
    assert called.status_code == 200
    assert called.json()["id"] == issued["id"]
    assert called.json()["state"] == "called"
    assert called.json()["window"] == 1


def test_it_answers_204_when_nothing_waits(server: LiveServer) -> None:
    assert httpx.post(f"{server.url}/api/v1/halls/test/windows/2/call-next").status_code == 204
