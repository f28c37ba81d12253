"""Replay has a limit; beyond it, or from a sequence number this log never reached, a client
gets a snapshot and then live events."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import websockets

from queue_server.api.app import create_app
from queue_server.api.deps import Services
from tests.live.helpers import next_of, quick_settings
from tests.support.live_server import LiveServer, live_server


@pytest.fixture
def short_memory(services: Services) -> Iterator[LiveServer]:
    with live_server(create_app(services, quick_settings(replay_limit=3))) as running:
        yield running


@pytest.mark.parametrize(("since", "expected"), [(0, "snapshot"), (2, "event"), (99, "snapshot")])
async def test_replay_or_snapshot(
    short_memory: LiveServer, lead: dict[str, str], since: int, expected: str
) -> None:
    base = f"{short_memory.url}/api/v1/halls/test"
    async with httpx.AsyncClient(base_url=base, headers=lead) as api:
        for _ in range(5):
            await api.post("/tickets", json={"service": "TAX"})
        url = f"{short_memory.ws_url}/api/v1/halls/test/events?since={since}"
        async with websockets.connect(url) as ws:
            first = await next_of(ws, expected)
            if expected == "snapshot":
                assert first["seq"] == 5
                tax = {"service": "TAX", "waiting": 5, "issuing_stopped": False}
                assert first["queues"][1] == tax
            else:
                rest = [await next_of(ws, "event") for _ in range(2)]
                assert [m["seq"] for m in [first, *rest]] == [3, 4, 5]
                assert all(m["replay"] for m in [first, *rest])
            await api.post("/tickets", json={"service": "TAX"})
            assert (await next_of(ws, "event"))["seq"] == 6
