"""Deny by default: a route nobody wrote a rule for answers 403 and names the table."""

from __future__ import annotations

import httpx

from queue_server.api.app import create_app
from queue_server.api.deps import Services
from tests.support.auth import duty_lead_headers
from tests.support.live_server import live_server


def test_a_route_without_a_rule_is_refused(services: Services) -> None:
    app = create_app(services)

    @app.get("/api/v1/brand-new")
    def brand_new() -> dict[str, str]:
        return {"secret": "data"}

    with live_server(app) as server:
        for headers in ({}, duty_lead_headers(services)):
            response = httpx.get(f"{server.url}/api/v1/brand-new", headers=headers)
            assert response.status_code == 403
            assert response.json()["error"] == "no_access_rule"
            assert "queue_server/api/access.py" in response.json()["message"]
