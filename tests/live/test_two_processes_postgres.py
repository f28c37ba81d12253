"""Two server processes on one PostgreSQL: each one's screens see what the other one did,
through LISTEN/NOTIFY and the events table (no broker)."""

from __future__ import annotations

import asyncio

import httpx
import websockets

from queue_server.api.app import build_services
from queue_server.demo import demo_hall_config
from queue_server.domain.clock import SystemClock
from tests.live.helpers import next_of
from tests.live.processes import server_processes
from tests.support.auth import FAST_HASHER, duty_lead_headers


async def test_each_process_streams_calls_made_through_the_other(postgres_url: str) -> None:
    # The schema, the demo hall and a duty lead's account, made here before the servers start.
    here = build_services(
        postgres_url, [demo_hall_config()], SystemClock(), password_hasher=FAST_HASHER
    )
    lead = duty_lead_headers(here, hall="demo")
    here.db.engine.dispose()
    with server_processes(postgres_url, 2, {"HALLQ_LIVE_HEARTBEAT_SECONDS": "0.5"}) as (a, b):
        path = "/api/v1/halls/demo/events?since=0"
        async with (
            websockets.connect(a.ws_url + path) as on_a,
            websockets.connect(b.ws_url + path) as on_b,
            httpx.AsyncClient(headers=lead) as http,
        ):
            # Both streams are live (each answered once) before anything happens.
            await asyncio.gather(next_of(on_a, "heartbeat"), next_of(on_b, "heartbeat"))
            issued = await http.post(f"{a.url}/api/v1/halls/demo/tickets", json={"service": "SOC"})
            called = await http.post(f"{b.url}/api/v1/halls/demo/windows/1/call-next")
            assert issued.status_code == 201, issued.text
            assert called.status_code == 200, called.text
            assert called.json()["id"] == issued.json()["id"]
            for stream in (on_a, on_b):
                first, second = await next_of(stream, "event"), await next_of(stream, "event")
                assert (first["seq"], first["kind"]) == (1, "ticket.issued")
                assert (second["seq"], second["kind"], second["window"]) == (2, "ticket.called", 1)
                assert "replay" not in first and "replay" not in second
                assert second["announce"]["zh"] == f"请 {called.json()['number']} 号到 1 号窗口办理"
