"""Finished cases and their ratings through the real API."""

from __future__ import annotations

from typing import Any

import httpx

from queue_server.api.deps import Services
from queue_server.domain.access import DeviceKind
from queue_server.services.tickets import IssueRequest
from tests.support.auth import bearer, clerk_at, device_token


class Window:
    """Window 1 with its clerk and its display."""

    def __init__(self, url: str, services: Services) -> None:
        self.services = services
        self.clerk = clerk_at(services, 1).headers
        self.display = bearer(device_token(services, DeviceKind.DISPLAY, window=1))
        self.http = httpx.Client(base_url=f"{url}/api/v1/halls/test", timeout=30)

    def finish(self, service: str = "SOC") -> dict[str, Any]:
        self.services.queue.issue("test", IssueRequest(service))
        ticket = self.http.post("/windows/1/call-next", headers=self.clerk).json()
        self.http.post(f"/windows/1/tickets/{ticket['id']}/start", headers=self.clerk)
        done = self.http.post(
            f"/windows/1/tickets/{ticket['id']}/finish",
            json={"case_type": "immediate"},
            headers=self.clerk,
        )
        assert done.status_code == 200, done.text
        return dict(done.json())

    def rate(self, ticket_id: str, level: str, **extra: Any) -> httpx.Response:
        return self.http.post(
            f"/windows/1/tickets/{ticket_id}/rating",
            json={"level": level, **extra},
            headers=self.display,
        )
