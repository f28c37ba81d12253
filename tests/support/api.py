"""A small synchronous caller of the real API for tests (JSON in, response out)."""

from __future__ import annotations

from typing import Any

import httpx


class Api:
    def __init__(
        self, base_url: str, hall: str = "test", headers: dict[str, str] | None = None
    ) -> None:
        """`headers` carry the token (tests.support.auth); without one only public reads
        succeed."""
        self.http = httpx.Client(base_url=base_url, timeout=30, headers=headers)
        self.hall = hall

    def issue(
        self, service: str = "SOC", priority: str = "normal", key: str | None = None
    ) -> httpx.Response:
        headers = {"Idempotency-Key": key} if key else {}
        return self.http.post(
            f"/api/v1/halls/{self.hall}/tickets",
            json={"service": service, "priority": priority},
            headers=headers,
        )

    def ticket(self, service: str = "SOC", priority: str = "normal") -> dict[str, Any]:
        response = self.issue(service, priority)
        assert response.status_code == 201, response.text
        return dict(response.json())

    def call_next(self, window: int) -> httpx.Response:
        return self.http.post(f"/api/v1/halls/{self.hall}/windows/{window}/call-next")

    def act(
        self, window: int, ticket_id: str, action: str, body: dict[str, Any] | None = None
    ) -> httpx.Response:
        return self.http.post(
            f"/api/v1/halls/{self.hall}/windows/{window}/tickets/{ticket_id}/{action}", json=body
        )

    def window(
        self, window: int, action: str, body: dict[str, Any] | None = None
    ) -> httpx.Response:
        return self.http.post(f"/api/v1/halls/{self.hall}/windows/{window}/{action}", json=body)

    def snapshot(self) -> dict[str, Any]:
        return dict(self.http.get(f"/api/v1/halls/{self.hall}/snapshot").json())
