"""What the server refuses is shown as the server says it, and the console goes on: a number
already called at another window, recalls counted up to the no-show, a key with no visitor."""

from __future__ import annotations

import httpx
from textual.widgets import Input

from queue_server.api.deps import Services
from tests.console.conftest import clerk, issue, message, press, running_console, signed_in, until
from tests.support.auth import clerk_at
from tests.support.live_server import LiveServer
from window_display.console_dialogs import CallNumberDialog


async def test_errors_are_shown_clearly(server: LiveServer, services: Services) -> None:
    staff_no = clerk(services)
    issue(services, "SOC", "SOC")
    other = clerk_at(services, 3)
    httpx.post(f"{server.url}/api/v1/halls/test/windows/3/call-next", headers=other.headers)
    async with running_console(server.url, 1) as (app, pilot):
        await signed_in(app, pilot, staff_no)
        await press(app, pilot, "f2")
        assert "No visitor at this window" in message(app)
        assert app.query_one("#message").has_class("error")

        await press(app, pilot, "f8")
        await until(pilot, lambda: isinstance(app.screen, CallNumberDialog), "the dialog")
        app.screen.query_one("#number", Input).value = "a001"
        app.screen.query_one("#reason", Input).focus()
        await press(app, pilot, "enter")
        assert "ticket A001 is called at window 3" in message(app)

        await press(app, pilot, "f1")
        assert app.current is not None and app.current["number"] == "A002"
        await press(app, pilot, "f2")
        assert "第 1 次" in message(app)
        assert "重呼 Recalls: 1" in str(app.query_one("#current").render())
        await press(app, pilot, "f2")
        await press(app, pilot, "f2")  # the test hall allows 2 recalls
        assert "已过号" in message(app)
        assert app.current is None
