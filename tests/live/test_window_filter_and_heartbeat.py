"""A window display follows only its own window; heartbeats still move its position forward."""

from __future__ import annotations

import httpx
import websockets

from tests.live.helpers import next_message, next_of
from tests.support.live_server import LiveServer


async def test_window_stream_carries_only_that_window_and_heartbeats_advance(
    live: LiveServer, lead: dict[str, str]
) -> None:
    async with httpx.AsyncClient(base_url=f"{live.url}/api/v1/halls/test", headers=lead) as api:
        await api.post("/tickets", json={"service": "SOC"})  # seq 1, no window
        async with websockets.connect(
            f"{live.ws_url}/api/v1/halls/test/events?window=2&since=0"
        ) as ws:
            hello = await next_message(ws)
            assert hello == {"type": "heartbeat", "seq": 0, "at": "2026-11-25T02:00:00+00:00"}
            assert (await next_message(ws))["seq"] == 1  # past the ticket it does not need
            await api.post("/windows/1/call-next")  # seq 2, window 1
            await api.post("/windows/2/pause", json={"reason": "training"})  # seq 3
            mine = await next_of(ws, "event")
            assert (mine["seq"], mine["kind"], mine["window"]) == (3, "window.paused", 2)
            await api.post("/tickets", json={"service": "TAX"})  # seq 4
            assert (await next_of(ws, "heartbeat"))["seq"] == 4


async def test_a_snapshot_first_when_no_since_is_given(
    live: LiveServer, lead: dict[str, str]
) -> None:
    async with httpx.AsyncClient(base_url=f"{live.url}/api/v1/halls/test", headers=lead) as api:
        await api.post("/tickets", json={"service": "SOC"})
        await api.post("/windows/3/call-next")
        async with websockets.connect(f"{live.ws_url}/api/v1/halls/test/events") as ws:
            snapshot = await next_message(ws)
        expected = (await api.get("/snapshot")).json()
    assert snapshot["type"] == "snapshot"
    assert snapshot["seq"] == snapshot["last_seq"] == 2
    assert {k: v for k, v in snapshot.items() if k not in ("type", "seq")} == expected
