"""Security review, finding 4 (docs/reliability.md): a NUL byte gave 500 on PostgreSQL (a traceback
in the log) on anonymous routes too, and SQLite stored it; control characters, RTL overrides and
emoji were accepted in booking names. One text rule now answers 422 naming the field, on both
engines."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from queue_server.api.app import create_app
from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from queue_server.services.event_log import events_after
from tests.support.auth import duty_lead_headers
from tests.support.factories import make_services
from tests.support.live_server import LiveServer, live_server

BOOKING = {
    "service": "SOC",
    "slot_start": "2026-11-26T09:00:00+08:00",
    "name": "王小明",
    "phone": "13812345678",
    "id_number": "110101199003074578",
}


@pytest.fixture
def running(database_url: str, clock: ManualClock) -> Iterator[tuple[LiveServer, Services]]:
    services = make_services(database_url, clock=clock)
    try:
        with live_server(create_app(services)) as server:
            yield server, services
    finally:
        services.db.engine.dispose()


def refused(response: httpx.Response, field: str) -> dict[str, Any]:
    assert response.status_code == 422, response.text
    body = dict(response.json())
    assert body["error"] == "invalid_request"
    assert field in [d["field"] for d in body["details"]], body
    return body


def test_hostile_text_gets_a_422_naming_the_field(running: tuple[LiveServer, Services]) -> None:
    server, services = running
    with httpx.Client(base_url=server.url, timeout=30) as http:
        login = http.post("/api/v1/auth/login", json={"staff_no": "A\x00", "password": "x"})
        assert "control character" in refused(login, "staff_no")["message"]
        refused(http.get("/api/v1/tickets/ab%00cd"), "path")
        refused(http.get("/api/v1/halls/test/snapshot?x=%01"), "query.x")
        for name in ("王\x00明", "王\x07明", "王\u202e明", "王小明😀", "\u2066王\u2069"):
            refused(
                http.post("/api/v1/halls/test/bookings", json={**BOOKING, "name": name}), "name"
            )
        note = {"reason": "other", "note": "回访\x00"}
        lead = duty_lead_headers(services)
        refused(http.post("/api/v1/halls/test/windows/1/pause", json=note, headers=lead), "note")
        # A name of a minority or a foreign visitor is not refused by the name rule.
        for name in ("阿依古丽·买买提", "Anne-Marie O'Neil"):
            answer = http.post("/api/v1/halls/test/bookings", json={**BOOKING, "name": name})
            assert all(d["field"] != "name" for d in answer.json().get("details") or [])
        assert http.get("/api/v1/halls/test/snapshot").status_code == 200
    with (
        pytest.raises((ConnectionClosed, InvalidStatus)),
        connect(f"{server.ws_url}/api/v1/halls/te%00st/events?since=0") as ws,
    ):
        ws.recv(timeout=10)
    with services.db.read() as session:
        assert [e.kind for e in events_after(session, "test", 0) if e.kind == "window.paused"] == []
