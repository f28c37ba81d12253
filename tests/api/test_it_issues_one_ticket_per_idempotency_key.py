"""A double tap at a kiosk (same Idempotency-Key) issues one ticket."""

from __future__ import annotations

from tests.support.api import Api


def test_a_repeated_key_returns_the_same_ticket(api: Api) -> None:
    first = api.issue("SOC", key="tap-1")
    second = api.issue("SOC", key="tap-1")
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert second.headers["Idempotent-Replayed"] == "true"
    assert api.issue("SOC", key="tap-2").json()["number"] == "A002"


def test_a_key_reused_for_another_request_is_refused(api: Api) -> None:
    api.issue("SOC", key="tap-1")
    response = api.issue("TAX", key="tap-1")
    assert response.status_code == 409
    assert response.json()["error"] == "idempotency_key_reused"
