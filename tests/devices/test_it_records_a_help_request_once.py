"""呼叫帮助 from a kiosk is one `help.requested` event, even when the kiosk retries."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from queue_server.api.deps import Services
from queue_server.domain.access import DeviceKind
from queue_server.storage.tables import Event
from tests.support.auth import bearer, device_token
from tests.support.live_server import LiveServer

HELP = "/api/v1/halls/test/devices/kiosk-1/help"


def _help_events(services: Services) -> list[Event]:
    with services.db.read() as session:
        return list(
            session.scalars(select(Event).where(Event.kind == "help.requested").order_by(Event.seq))
        )


def test_it_records_a_help_request_once(server: LiveServer, services: Services) -> None:
    kiosk = bearer(device_token(services, DeviceKind.KIOSK, name="kiosk-1"))
    body = {"request_id": "r-1", "screen": "ticket", "lang": "zh", "ticket": "A001"}
    first = httpx.post(server.url + HELP, json=body, headers=kiosk)
    again = httpx.post(server.url + HELP, json=body, headers=kiosk)
    assert first.status_code == 201 and first.json()["recorded"] is True
    assert again.status_code == 200 and again.json()["recorded"] is False
    assert again.json()["seq"] == first.json()["seq"]

    later = httpx.post(server.url + HELP, json={**body, "request_id": "r-2"}, headers=kiosk)
    assert later.status_code == 201

    events = _help_events(services)
    assert len(events) == 2
    assert events[0].device_id == "kiosk-1"
    assert events[0].payload == {
        "request_id": "r-1",
        "screen": "ticket",
        "lang": "zh",
        "ticket": "A001",
    }
