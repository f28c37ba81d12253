"""A client that lost its connection gets exactly the events it missed, in order, then live ones."""

from __future__ import annotations

import httpx
import websockets

from tests.live.helpers import next_message, next_of
from tests.support.live_server import LiveServer


async def test_replay_returns_exactly_the_missed_events_in_order(
    live_any: LiveServer, lead_any: dict[str, str]
) -> None:
    events = f"{live_any.ws_url}/api/v1/halls/test/events"
    base = f"{live_any.url}/api/v1/halls/test"
    async with httpx.AsyncClient(base_url=base, headers=lead_any) as api:
        async with websockets.connect(events) as ws:
            first = await next_message(ws)
            assert first["type"] == "snapshot" and first["seq"] == 0
            await api.post("/tickets", json={"service": "SOC"})
            issued = await next_of(ws, "event")
            assert (issued["seq"], issued["kind"]) == (1, "ticket.issued")
            assert "replay" not in issued

        # Away: two more tickets, a call and a pause happen without this client.
        await api.post("/tickets", json={"service": "SOC"})
        await api.post("/tickets", json={"service": "TAX"})
        called = (await api.post("/windows/1/call-next")).json()
        await api.post("/windows/2/pause", json={"reason": "meeting"})

        async with websockets.connect(f"{events}?since=1") as ws:
            hello = await next_message(ws)
            assert (hello["type"], hello["seq"]) == ("heartbeat", 1)
            missed = [await next_of(ws, "event") for _ in range(4)]
            assert [m["seq"] for m in missed] == [2, 3, 4, 5]
            assert [m["kind"] for m in missed] == [
                "ticket.issued",
                "ticket.issued",
                "ticket.called",
                "window.paused",
            ]
            assert all(m["replay"] is True for m in missed)
            assert missed[2]["ticket"] == called["id"]
            assert missed[2]["window"] == 1
            assert missed[2]["announce"]["zh"] == "请 A001 号到 1 号窗口办理"
            assert missed[2]["announce"]["en"] == "Number A001, please go to window 1"
            assert missed[3]["payload"]["reason"] == "meeting"

            heartbeat = await next_of(ws, "heartbeat")
            assert heartbeat["seq"] == 5

            await api.post("/windows/2/resume")
            live = await next_of(ws, "event")
            assert (live["seq"], live["kind"]) == (6, "window.resumed")
            assert "replay" not in live


async def test_a_client_that_missed_nothing_gets_nothing_twice(
    live: LiveServer, lead: dict[str, str]
) -> None:
    async with httpx.AsyncClient(base_url=f"{live.url}/api/v1/halls/test", headers=lead) as api:
        await api.post("/tickets", json={"service": "SOC"})
        async with websockets.connect(f"{live.ws_url}/api/v1/halls/test/events?since=1") as ws:
            assert (await next_message(ws))["type"] == "heartbeat"
            assert (await next_message(ws))["type"] == "heartbeat"
            await api.post("/tickets", json={"service": "SOC"})
            assert (await next_of(ws, "event"))["seq"] == 2
