"""F6 transfers the visitor to another service or to a window, always with a note for the
next window (首问负责); the number keeps its place and shows up in the target's queue."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input

from queue_server.api.deps import Services
from tests.console.conftest import clerk, issue, message, press, running_console, signed_in, until
from tests.support.live_server import LiveServer
from window_display.console import ClerkConsole
from window_display.console_dialogs import TransferDialog


async def fill_transfer(
    app: ClerkConsole, pilot: Pilot[None], service: str, window: str, note: str
) -> None:
    await press(app, pilot, "f6")
    await until(pilot, lambda: isinstance(app.screen, TransferDialog), "the transfer dialog")
    app.screen.query_one("#service", Input).value = service
    app.screen.query_one("#window", Input).value = window
    app.screen.query_one("#note", Input).value = note
    app.screen.query_one("#note", Input).focus()
    await press(app, pilot, "enter")


async def test_transfer_to_a_service_and_to_a_window(
    server: LiveServer, services: Services
) -> None:
    staff_no = clerk(services)
    issue(services, "SOC", "SOC")
    async with running_console(server.url, 1) as (app, pilot):
        await signed_in(app, pilot, staff_no)
        await press(app, pilot, "f1")
        assert app.current is not None and app.current["number"] == "A001"

        await fill_transfer(app, pilot, "TAX", "", "")
        assert isinstance(app.screen, TransferDialog), "no note: the dialog stays open"
        assert "交代事项" in str(app.screen.query_one("#dialog-error").render())
        app.screen.query_one("#note", Input).value = "needs the tax form first"
        await press(app, pilot, "enter")
        assert app.current is None
        assert "A001 已转至 TAX" in message(app)
        snapshot = await app.client.snapshot()
        [leg] = [t for t in snapshot["waiting"] if t["number"] == "A001"]
        assert leg["service"] == "TAX"

        await press(app, pilot, "f1", "f3")
        current = app.current
        assert current is not None
        target = {"TAX": 2, "SOC": 3}[current["service"]]
        await fill_transfer(app, pilot, "", str(target), "senior colleague there")
        assert app.current is None
        waiting = (await app.client.snapshot())["waiting"]
        [moved] = [t for t in waiting if t["target_window"] == target]
        assert (moved["number"], moved["service"]) == (current["number"], current["service"])
