"""Security review, finding 8 (low, docs/reliability.md): a `Basic` Authorization header (a
browser's saved login for the host) got 401 on public routes. Public routes ignore another scheme;
routes that need a token still refuse it."""

from __future__ import annotations

import httpx

from tests.support.live_server import LiveServer

BASIC = {"Authorization": "Basic aGFsbDpxdWV1ZQ=="}


def test_public_routes_ignore_another_auth_scheme(server: LiveServer) -> None:
    with httpx.Client(base_url=server.url, headers=BASIC, timeout=30) as http:
        assert http.get("/api/v1/halls/test/snapshot").status_code == 200
        assert http.get("/board/test").status_code == 200
        refused = http.post("/api/v1/halls/test/tickets", json={"service": "SOC"})
        assert refused.status_code == 401
        assert "Bearer" in refused.json()["message"]
