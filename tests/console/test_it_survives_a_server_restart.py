"""The server goes away: the console shows that it is offline, a key pressed meanwhile keeps
retrying (visibly), and when the server is back the move is made once, without a second
press and without a new login."""

from __future__ import annotations

import asyncio

from queue_server.api.app import create_app
from queue_server.api.deps import Services
from tests.console.conftest import clerk, issue, message, press, running_console, signed_in, until
from tests.live.helpers import quick_settings
from tests.support.live_server import LiveServer


async def test_it_survives_a_server_restart(services: Services) -> None:
    staff_no = clerk(services)
    issue(services, "SOC", "SOC")
    server = LiveServer(create_app(services, quick_settings())).start()
    try:
        async with running_console(server.url, 1) as (app, pilot):
            await signed_in(app, pilot, staff_no)
            await press(app, pilot, "f1")
            assert app.current is not None and app.current["number"] == "A001"

            await asyncio.to_thread(server.stop)
            await until(pilot, lambda: not app.online, "the offline state")
            assert app.query_one("#offline").display
            await pilot.press("f3")
            await until(pilot, lambda: "retrying (2)" in message(app), "the retrying state")
            assert app.busy and app.retrying
            assert app.current is not None and app.current["number"] == "A001", "kept on screen"

            server = LiveServer(create_app(services, quick_settings()), port=server.port).start()
            await until(pilot, lambda: not app.busy, "the move made once the server is back")
            assert app.online and not app.query_one("#offline").display
            assert app.current is not None and app.current["state"] == "serving"
            assert "Serving" in message(app), message(app)
            assert app.signed_in
    finally:
        await asyncio.to_thread(server.stop)
