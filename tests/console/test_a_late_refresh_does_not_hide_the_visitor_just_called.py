"""The console's timer reads the window while the clerk presses F1: when that older read comes
back after the call's own read, the screen keeps the visitor just called instead of going
back to the window as it was before the call."""

from __future__ import annotations

import asyncio

import httpx

from hallq_client import HallqClient
from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from tests.console.conftest import clerk, issue, press, signed_in
from tests.support.factories import local
from tests.support.live_server import LiveServer
from tests.support.tui import piloted
from window_display.console import ClerkConsole


class HeldSnapshot(httpx.AsyncBaseTransport):
    """Loopback HTTP, except that one snapshot, once armed, is read from the server at once
    and handed to the console only when released."""

    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self.armed = False
        self.read = asyncio.Event()
        self.release = asyncio.Event()
        self.delivered = asyncio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        hold = self.armed and request.url.path.endswith("/snapshot")
        if hold:
            self.armed = False
        response = await self._inner.handle_async_request(request)
        if not hold:
            return response
        body = await response.aread()
        self.read.set()
        await self.release.wait()
        self.delivered.set()
        return httpx.Response(response.status_code, headers=response.headers, content=body)

    async def aclose(self) -> None:
        await self._inner.aclose()


async def test_a_late_read_does_not_undo_the_call(
    server: LiveServer, services: Services, clock: ManualClock
) -> None:
    clock.set(local(2026, 11, 25, 9, 0))
    staff_no = clerk(services)
    transport = HeldSnapshot()
    client = HallqClient(server.url, "test", transport=transport)
    # After its first read the timer waits out a long gap: only the held read and the
    # call's own read show anything.
    app = ClerkConsole(client, 1, refresh_every=60, retry_every=0.1, min_gap=30)
    try:
        async with piloted(app, (150, 40)) as pilot:
            await signed_in(app, pilot, staff_no)
            issue(services, "SOC")
            transport.armed = True
            # The timer's read (the timer itself sleeps out its long gap): started before the
            # call, its snapshot taken before the call.
            late = asyncio.create_task(app.refresh_now())
            await asyncio.wait_for(transport.read.wait(), 10)

            await press(app, pilot, "f1")
            assert app.current is not None and app.current["number"] == "A001"

            transport.release.set()
            await asyncio.wait_for(late, 10)
            await pilot.pause()
            assert app.current is not None and app.current["number"] == "A001"
    finally:
        await client.aclose()
