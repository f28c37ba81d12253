"""A device token belongs to one hall and one device; a display is bound to a window;
revoking a token refuses it at once; a revoked device can be given a new token."""

from __future__ import annotations

import httpx
import pytest

from queue_server.api.deps import Services
from queue_server.domain.access import DeviceKind
from queue_server.domain.errors import RuleViolation
from queue_server.services.device_tokens import DeviceTokens
from queue_server.services.errors import Conflict, NotFound
from tests.support.auth import bearer
from tests.support.live_server import LiveServer


def test_revoking_a_device_token_refuses_it(server: LiveServer, services: Services) -> None:
    devices = DeviceTokens(services.db, services.clock)
    issued = devices.add("test", DeviceKind.KIOSK)
    assert issued.device.name == "kiosk-1"
    me = f"{server.url}/api/v1/auth/me"
    assert httpx.get(me, headers=bearer(issued.token)).json() == {
        "kind": "device", "hall": "test", "name": "kiosk-1", "role": None, "staff_no": None,
        "device_kind": "kiosk", "window": None,
    }  # fmt: skip
    devices.revoke("test", "kiosk-1")
    refused = httpx.get(me, headers=bearer(issued.token))
    assert refused.status_code == 401
    assert refused.json()["message"] == "the token of device 'kiosk-1' was revoked"

    renewed = devices.add("test", DeviceKind.KIOSK, name="kiosk-1")
    assert renewed.token != issued.token
    assert httpx.get(me, headers=bearer(renewed.token)).status_code == 200
    assert httpx.get(me, headers=bearer(issued.token)).status_code == 401


def test_devices_are_described_correctly(services: Services) -> None:
    devices = DeviceTokens(services.db, services.clock)
    assert devices.add("test", DeviceKind.DISPLAY, window=2).device.name == "display-2"
    with pytest.raises(RuleViolation, match="bound to one window"):
        devices.add("test", DeviceKind.DISPLAY)
    with pytest.raises(RuleViolation, match="not bound to a window"):
        devices.add("test", DeviceKind.BOARD, window=2)
    with pytest.raises(NotFound, match="no window 9"):
        devices.add("test", DeviceKind.DISPLAY, window=9)
    with pytest.raises(Conflict, match="revoke it first"):
        devices.add("test", DeviceKind.DISPLAY, window=2)
    with pytest.raises(NotFound, match="unknown hall"):
        devices.add("elsewhere", DeviceKind.KIOSK)
