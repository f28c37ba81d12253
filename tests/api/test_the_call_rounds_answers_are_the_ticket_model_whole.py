"""The hot path's answers (issue, call-next, recall, start, finish, no-show) are serialized by
the route itself, not validated again by FastAPI: each is the documented ticket model, every
field present with its JSON type, through a real uvicorn on loopback."""

from __future__ import annotations

from typing import Any

import httpx

from queue_server.api.deps import Services
from queue_server.api.schemas import TicketOut
from tests.support.auth import bearer, clerk_at, device_token
from tests.support.live_server import LiveServer


def _is_the_model(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body: dict[str, Any] = response.json()
    assert set(body) == set(TicketOut.model_fields)
    assert TicketOut.model_validate(body).model_dump(mode="json") == body
    return body


def test_every_move_of_the_round_answers_the_whole_ticket(
    server: LiveServer, services: Services
) -> None:
    kiosk = bearer(device_token(services))
    clerk = clerk_at(services, 1).headers
    base = f"{server.url}/api/v1/halls/test"
    tickets = f"{base}/tickets"
    first = _is_the_model(httpx.post(tickets, json={"service": "SOC"}, headers=kiosk), 201)
    assert first["estimated_wait"] is not None and first["issued_at"].endswith("Z")
    second = _is_the_model(httpx.post(tickets, json={"service": "SOC"}, headers=kiosk), 201)

    window = f"{base}/windows/1"
    called = _is_the_model(httpx.post(f"{window}/call-next", headers=clerk), 200)
    assert (called["id"], called["state"], called["window"]) == (first["id"], "called", 1)
    recalled = _is_the_model(
        httpx.post(f"{window}/tickets/{first['id']}/recall", headers=clerk), 200
    )
    assert recalled["recall_count"] == 1
    started = _is_the_model(httpx.post(f"{window}/tickets/{first['id']}/start", headers=clerk), 200)
    assert started["state"] == "serving" and started["started_at"] is not None
    finished = _is_the_model(
        httpx.post(
            f"{window}/tickets/{first['id']}/finish",
            json={"case_type": "immediate"},
            headers=clerk,
        ),
        200,
    )
    assert finished["state"] == "finished" and finished["case_type"] == "immediate"
    assert (
        _is_the_model(httpx.post(f"{window}/call-next", headers=clerk), 200)["id"] == second["id"]
    )
    gone = _is_the_model(httpx.post(f"{window}/tickets/{second['id']}/no-show", headers=clerk), 200)
    assert gone["state"] == "no_show"


def test_a_replayed_issue_says_so_in_its_header(server: LiveServer, services: Services) -> None:
    kiosk = {**bearer(device_token(services)), "Idempotency-Key": "tap-1"}
    url = f"{server.url}/api/v1/halls/test/tickets"
    first = httpx.post(url, json={"service": "SOC"}, headers=kiosk)
    again = httpx.post(url, json={"service": "SOC"}, headers=kiosk)
    assert "Idempotent-Replayed" not in first.headers
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _is_the_model(again, 201) == _is_the_model(first, 201)
