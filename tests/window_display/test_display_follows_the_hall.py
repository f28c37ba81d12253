"""The window display against a real server: it shows calls as they happen, shows that it is
offline when the server goes away, and catches up with what happened meanwhile."""

from __future__ import annotations

import asyncio

import httpx

from hallq.widgets.big_number import BigNumber
from hallq_client.events import EventStream
from queue_server.api.app import create_app
from queue_server.api.deps import Services
from tests.live.helpers import quick_settings
from tests.support.auth import duty_lead_headers
from tests.support.live_server import LiveServer
from tests.support.tui import piloted, until
from window_display.app import WindowDisplay


async def test_display_follows_calls_and_catches_up_after_a_restart(services: Services) -> None:
    server = LiveServer(create_app(services, quick_settings())).start()
    stream = EventStream(server.url, "test", window=2, min_backoff=0.05, max_backoff=0.2)
    app = WindowDisplay(2, stream)
    try:
        async with piloted(app, (80, 24)) as pilot:
            await until(pilot, lambda: app.online and app.state.status == "idle")
            assert app.state.name == "二号窗口"
            base = f"{server.url}/api/v1/halls/test"
            lead = duty_lead_headers(services)
            async with httpx.AsyncClient(base_url=base, headers=lead) as api:
                await api.post("/tickets", json={"service": "TAX"})
                called = (await api.post("/windows/2/call-next")).json()
            await until(pilot, lambda: app.state.ticket == "B001")
            assert app.state.status == "called"
            assert app.query_one("#ticket", BigNumber).value == "B001"

            await asyncio.to_thread(server.stop)
            await until(pilot, lambda: not app.online)
            assert app.query_one("#offline").display

            # While the screen is away, the clerk starts serving.
            services.queue.start("test", 2, called["id"])
            server = LiveServer(create_app(services, quick_settings()), port=server.port).start()
            await until(pilot, lambda: app.online and app.state.status == "serving")
            assert app.state.ticket == "B001"
            assert not app.query_one("#offline").display
    finally:
        await asyncio.to_thread(server.stop)
