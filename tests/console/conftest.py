"""The clerk console against a real server on loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from textual.pilot import Pilot
from textual.widgets import Input, Static

from hallq_client import HallqClient
from printers import PrintWorker
from queue_server.api.deps import Services
from queue_server.domain.access import Role
from queue_server.services.tickets import IssueRequest
from tests.support.auth import PASSWORD
from tests.support.tui import piloted, until
from window_display.console import ClerkConsole
from window_display.console_dialogs import LoginDialog

__all__ = ["until"]  # the console tests import it from here


def clerk(
    services: Services, staff_no: str = "1001", name: str = "王芳", hall: str = "test"
) -> str:
    services.accounts.create_user(hall, staff_no, name, Role.CLERK, PASSWORD)
    return staff_no


def issue(services: Services, *codes: str) -> None:
    for code in codes:
        services.queue.issue("test", IssueRequest(code))


@asynccontextmanager
async def running_console(
    url: str,
    window: int,
    *,
    printer: PrintWorker | None = None,
    hall: str = "test",
    size: tuple[int, int] = (150, 40),
) -> AsyncIterator[tuple[ClerkConsole, Pilot[None]]]:
    client = HallqClient(url, hall)
    app = ClerkConsole(
        client, window, printer=printer, refresh_every=0.5, retry_every=0.1, min_gap=0.1
    )
    try:
        async with piloted(app, size) as pilot:
            yield app, pilot
    finally:
        await client.aclose()


async def log_in(app: ClerkConsole, pilot: Pilot[None], staff_no: str, password: str) -> None:
    await until(pilot, lambda: isinstance(app.screen, LoginDialog), "the login dialog")
    app.screen.query_one("#staff-no", Input).value = staff_no
    app.screen.query_one("#password", Input).value = password
    app.screen.query_one("#password", Input).focus()
    await pilot.press("enter")


async def signed_in(app: ClerkConsole, pilot: Pilot[None], staff_no: str) -> None:
    await log_in(app, pilot, staff_no, PASSWORD)
    await until(pilot, lambda: app.signed_in and app.window.server_time is not None, "sign-in")


async def press(app: ClerkConsole, pilot: Pilot[None], *keys: str) -> None:
    """Press keys and wait until the move they started is done and the screen refreshed."""
    await pilot.press(*keys)  # a move starts (busy) while its key is handled
    await until(pilot, lambda: not app.busy, "the move and its refresh to finish")
    await pilot.pause()


def text(app: ClerkConsole, widget_id: str) -> str:
    return str(app.query_one(f"#{widget_id}", Static).render())


def message(app: ClerkConsole) -> str:
    return app.message
