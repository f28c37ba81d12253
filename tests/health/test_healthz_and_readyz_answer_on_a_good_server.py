"""On a migrated database both probes answer 200, without any token."""

from __future__ import annotations

import httpx

from queue_server.storage.migrate import head_revision
from tests.support.live_server import LiveServer


def test_probes(server: LiveServer) -> None:
    assert httpx.get(f"{server.url}/healthz").json() == {"status": "ok"}
    ready = httpx.get(f"{server.url}/readyz")
    assert ready.status_code == 200, ready.text
    assert ready.json()["status"] == "ready"
    assert ready.json()["revision"] == head_revision()
