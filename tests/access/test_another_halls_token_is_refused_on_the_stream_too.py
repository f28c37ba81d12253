"""A token sent to a public route is checked like everywhere else: another hall's device or
staff token is refused with 403 naming both halls, on the event stream's handshake as on
HTTP, while the hall's own token (and no token at all) is served. Two halls, one server."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import httpx
import pytest
import websockets

from queue_server.api.app import create_app
from queue_server.api.deps import Services
from queue_server.domain.access import DeviceKind, Role
from tests.support.auth import bearer, device_token, staff_login
from tests.support.factories import make_services, small_hall
from tests.support.live_server import LiveServer, live_server


@pytest.fixture
def two_halls(sqlite_url: str) -> Iterator[tuple[LiveServer, Services]]:
    services = make_services(sqlite_url, small_hall("east"), small_hall("west"))
    with live_server(create_app(services)) as running:
        yield running, services
    services.db.engine.dispose()


async def first_message(url: str, headers: dict[str, str]) -> dict[str, object]:
    async with websockets.connect(url, additional_headers=headers) as stream:
        answer: dict[str, object] = json.loads(await asyncio.wait_for(stream.recv(), 10))
        return answer


async def refused(url: str, headers: dict[str, str]) -> tuple[int, dict[str, str]]:
    with pytest.raises(websockets.InvalidStatus) as caught:
        async with websockets.connect(url, additional_headers=headers):
            pass
    response = caught.value.response
    return response.status_code, json.loads(response.body or b"{}")


def test_the_stream_refuses_another_halls_token_as_http_does(
    two_halls: tuple[LiveServer, Services],
) -> None:
    server, services = two_halls
    west_display = bearer(device_token(services, DeviceKind.DISPLAY, hall="west", window=1))
    west_lead = staff_login(services, Role.DUTY_LEAD, hall="west").headers
    east_board = bearer(device_token(services, DeviceKind.BOARD, hall="east"))
    ws = server.url.replace("http://", "ws://")
    for headers in (west_display, west_lead):
        status, body = asyncio.run(refused(f"{ws}/api/v1/halls/east/events", headers))
        assert status == 403
        assert body["message"] == "this token belongs to hall 'west', not 'east'"
        http = httpx.get(f"{server.url}/api/v1/halls/east/snapshot", headers=headers, timeout=30)
        assert http.status_code == 403 and http.json() == body
    for headers in (east_board, {}):
        first = asyncio.run(first_message(f"{ws}/api/v1/halls/east/events", headers))
        assert first["type"] == "snapshot" and first["hall"] == "east"
    first = asyncio.run(first_message(f"{ws}/api/v1/halls/west/events", west_display))
    assert first["hall"] == "west"
