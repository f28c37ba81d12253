"""Device health reaches the event log when it is news: a change, a fault, or a heartbeat."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select

from queue_server.api.deps import Services
from queue_server.domain.access import DeviceKind
from queue_server.domain.clock import ManualClock
from queue_server.services.event_log import verify_chain
from queue_server.storage.tables import Event
from tests.support.auth import bearer, device_token
from tests.support.live_server import LiveServer

STATUS = "/api/v1/halls/test/devices/kiosk-1/status"


def _status_events(services: Services) -> list[Event]:
    with services.db.read() as session:
        return list(
            session.scalars(select(Event).where(Event.kind == "device.status").order_by(Event.seq))
        )


@pytest.fixture
def kiosk(services: Services) -> dict[str, str]:
    return bearer(device_token(services, DeviceKind.KIOSK, name="kiosk-1"))


def _report(
    server: LiveServer, headers: dict[str, str], state: str, **extra: str
) -> httpx.Response:
    body = {"kind": "kiosk", "printer": {"state": state, "detail": "d"}, **extra}
    return httpx.post(server.url + STATUS, json=body, headers=headers)


def test_it_records_device_status_when_it_changes(
    server: LiveServer, services: Services, clock: ManualClock, kiosk: dict[str, str]
) -> None:
    assert _report(server, kiosk, "ok").json()["recorded"] is True
    assert _report(server, kiosk, "ok").json()["recorded"] is False  # same state, within a minute
    clock.advance(timedelta(seconds=59))
    assert _report(server, kiosk, "ok").json()["recorded"] is False
    assert _report(server, kiosk, "paper_low").json()["recorded"] is True
    assert _report(server, kiosk, "paper_low", fault="receipt not printed", ticket="A001").json()[
        "recorded"
    ]
    clock.advance(timedelta(seconds=60))
    assert _report(server, kiosk, "paper_low").json()["recorded"] is True  # heartbeat

    events = _status_events(services)
    assert [e.payload["printer"]["state"] for e in events] == [
        "ok",
        "paper_low",
        "paper_low",
        "paper_low",
    ]
    assert all(e.device_id == "kiosk-1" for e in events)
    assert events[1].payload["printer_was"] == "ok"
    assert events[2].payload["fault"] == "receipt not printed"
    assert events[2].payload["ticket"] == "A001"
    with services.db.read() as session:
        assert verify_chain(session, "test")[1] is None


def test_it_keeps_devices_apart(
    server: LiveServer, services: Services, kiosk: dict[str, str]
) -> None:
    _report(server, kiosk, "ok")
    second = bearer(device_token(services, DeviceKind.KIOSK, name="kiosk-2"))
    other = httpx.post(
        server.url + "/api/v1/halls/test/devices/kiosk-2/status",
        json={"printer": {"state": "ok"}},
        headers=second,
    )
    assert other.json()["recorded"] is True
    assert {e.device_id for e in _status_events(services)} == {"kiosk-1", "kiosk-2"}
    # A kiosk speaks only for itself, and only with its token.
    posing = httpx.post(server.url + STATUS, json={}, headers=second)
    assert posing.status_code == 403
    assert httpx.post(server.url + STATUS, json={}).status_code == 401


def test_it_refuses_unknown_states_and_halls(server: LiveServer, kiosk: dict[str, str]) -> None:
    assert _report(server, kiosk, "on_fire").status_code == 422
    missing = httpx.post(
        server.url + "/api/v1/halls/nope/devices/kiosk-1/status", json={}, headers=kiosk
    )
    assert missing.status_code in (403, 404)
