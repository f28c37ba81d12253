"""A database left behind the code's migrations is not ready: 503, and the answer says which
revision it is at, which the code needs and what to run. /healthz still says the process
is alive."""

from __future__ import annotations

import httpx
from sqlalchemy import text

from queue_server.api.deps import Services
from queue_server.storage.migrate import head_revision
from tests.support.live_server import LiveServer


def test_behind_is_not_ready(server: LiveServer, services: Services) -> None:
    with services.db.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    ready = httpx.get(f"{server.url}/readyz")
    assert ready.status_code == 503
    body = ready.json()
    assert body["error"] == "not_ready"
    assert "revision 0001" in body["message"] and head_revision() in body["message"]
    assert "hallq db upgrade" in body["message"]
    assert httpx.get(f"{server.url}/healthz").status_code == 200
