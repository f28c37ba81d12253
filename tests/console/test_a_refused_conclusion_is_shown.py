"""办结 refused by the server is shown as the server says it: the case concluded meanwhile
from elsewhere (the duty lead's own client) is already concluded; and with the server down
the key retries visibly instead of hanging, and Esc stops it."""

from __future__ import annotations

import asyncio

import httpx

from queue_server.api.app import create_app
from queue_server.api.deps import Services
from queue_server.domain.access import Role
from tests.console.conftest import clerk, message, press, running_console, signed_in, until
from tests.console.test_it_concludes_a_promised_case import finished_as_promised
from tests.live.helpers import quick_settings
from tests.support.auth import staff_login
from tests.support.live_server import LiveServer
from window_display.console_dialogs import ConcludeDialog


async def test_concluded_meanwhile_elsewhere(server: LiveServer, services: Services) -> None:
    ticket = finished_as_promised(server, services, "2026-11-30")
    staff_no = clerk(services)
    async with running_console(server.url, 1) as (app, pilot):
        await signed_in(app, pilot, staff_no)
        await press(app, pilot, "f11")
        await until(pilot, lambda: isinstance(app.screen, ConcludeDialog), "the 办结 dialog")
        await press(app, pilot, "enter")  # picked A001; asked to confirm

        lead = staff_login(services, Role.DUTY_LEAD)
        url = f"{server.url}/api/v1/halls/test/windows/1/tickets/{ticket}/conclude"
        first = await asyncio.to_thread(httpx.post, url, json={}, headers=lead.headers)
        assert first.status_code == 200, first.text

        await press(app, pilot, "enter")
        await until(pilot, lambda: not isinstance(app.screen, ConcludeDialog), "the dialog")
        await until(pilot, lambda: not app.busy, "the move")
        assert "ticket A001 is already concluded" in message(app), message(app)
        assert app.query_one("#message").has_class("error")

        await press(app, pilot, "f11")
        assert "没有待办结的承诺件" in message(app), "nothing left to conclude"
        assert not isinstance(app.screen, ConcludeDialog)


async def test_a_day_the_server_refuses(server: LiveServer, services: Services) -> None:
    finished_as_promised(server, services, "2026-11-30")
    staff_no = clerk(services)
    async with running_console(server.url, 1) as (app, pilot):
        await signed_in(app, pilot, staff_no)
        await press(app, pilot, "f11")
        await until(pilot, lambda: isinstance(app.screen, ConcludeDialog), "the 办结 dialog")
        await press(app, pilot, "enter")
        await pilot.press(*"2026-12-01")  # after today (Wed 25 Nov)
        await press(app, pilot, "enter")
        await until(pilot, lambda: not isinstance(app.screen, ConcludeDialog), "the dialog")
        await until(pilot, lambda: not app.busy, "the move")
        assert "the conclusion day must fall between" in message(app), message(app)
        assert len(await app.client.open_promised_cases(1)) == 1, "still open"


async def test_the_server_down(services: Services) -> None:
    staff_no = clerk(services)
    server = LiveServer(create_app(services, quick_settings())).start()
    try:
        async with running_console(server.url, 1) as (app, pilot):
            await signed_in(app, pilot, staff_no)
            await asyncio.to_thread(server.stop)
            await until(pilot, lambda: not app.online, "the offline state")
            await pilot.press("f11")
            await until(pilot, lambda: "retrying" in message(app), "the retrying state")
            await press(app, pilot, "escape")
            assert "Retry cancelled" in message(app), message(app)
            assert not app.retrying and not isinstance(app.screen, ConcludeDialog)
    finally:
        await asyncio.to_thread(server.stop)
