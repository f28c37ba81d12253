"""F7 finishes with each of the five case types (办件类型); a promised case shows the default
deadline in working days, which the clerk may change, and the receipt of the finish says it."""

from __future__ import annotations

from textual.widgets import Input

from queue_server.api.deps import Services
from tests.console.conftest import clerk, issue, message, press, running_console, signed_in, until
from tests.support.live_server import LiveServer
from window_display.console_dialogs import FinishDialog


async def test_each_case_type(server: LiveServer, services: Services) -> None:
    staff_no = clerk(services)
    issue(services, *["TAX"] * 6)  # TAX promises 3 working days
    async with running_console(server.url, 1) as (app, pilot):
        await signed_in(app, pilot, staff_no)
        for key, case_type in (("1", "immediate"), ("3", "reply"), ("4", "joint"),
                               ("5", "report_up")):  # fmt: skip
            await press(app, pilot, "f1", "f3", "f7")
            await until(pilot, lambda: isinstance(app.screen, FinishDialog), "the dialog")
            await press(app, pilot, key)
            assert app.current is None, message(app)
            assert f"（{case_type}）" in message(app)

        await press(app, pilot, "f1", "f3", "f7")
        await until(pilot, lambda: isinstance(app.screen, FinishDialog), "the dialog")
        deadline = app.screen.query_one("#deadline", Input)
        assert deadline.value == "2026-11-30", "Wed 25 Nov + 3 working days, over a weekend"
        await press(app, pilot, "2")
        assert isinstance(app.screen, FinishDialog), "promised: the deadline is confirmed first"
        await press(app, pilot, "enter")
        assert "办结期限 2026-11-30" in message(app)

        await press(app, pilot, "f1", "f3", "f7")
        await until(pilot, lambda: isinstance(app.screen, FinishDialog), "the dialog")
        await press(app, pilot, "2")
        app.screen.query_one("#deadline", Input).value = "2026-11-25"
        await press(app, pilot, "enter")
        assert "at least one working day" in message(app), "the server's rule, shown as said"
        assert app.current is not None
        await press(app, pilot, "f7")
        await until(pilot, lambda: isinstance(app.screen, FinishDialog), "the dialog")
        await press(app, pilot, "2")
        app.screen.query_one("#deadline", Input).value = "2026-12-04"
        await press(app, pilot, "enter")
        assert "办结期限 2026-12-04" in message(app)
        assert app.today is not None
        assert app.today["by_case_type"] == {
            "immediate": 1, "reply": 1, "joint": 1, "report_up": 1, "promised": 2,
        }  # fmt: skip
