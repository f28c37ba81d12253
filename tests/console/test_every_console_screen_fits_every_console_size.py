"""Every screen of the clerk console - the sign-in, the main screen (a visitor called, one
who arrived by transfer with the sending window's note) and every dialog (no-show
confirmation, transfer, finish, call a number, pause, one-time notice, conclude a promised
case) - at every console size of docs/devices.md (100x30, 120x40, 160x50), with the
example hall. The console shows Chinese and English together, so one rendering covers both
languages. Every key, field, button and list is fully on screen and clear of the others,
and no text is cut, ends in "…" or breaks a word."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from textual.screen import Screen

from queue_server.api.deps import Services
from queue_server.config.loader import load_hall_config
from queue_server.domain.clock import ManualClock
from queue_server.services.tickets import IssueRequest
from tests.console.conftest import clerk, press, running_console, signed_in, text
from tests.support.auth import clerk_at
from tests.support.factories import local, make_services
from tests.support.live_server import LiveServer
from tests.support.screen_geometry import DEVICE_SIZES
from tests.support.tui import check_sizes, until
from window_display.console import ClerkConsole
from window_display.console_dialogs import (
    CallNumberDialog,
    ConcludeDialog,
    ConfirmDialog,
    FinishDialog,
    LoginDialog,
    NoticeDialog,
    PauseDialog,
    TransferDialog,
)

EXAMPLE = Path(__file__).parents[2] / "queue_server" / "config" / "hall.example.toml"
NOTE = "已收身份证复印件和户口本，缺营业执照原件，请核对后办理"
SIZES = DEVICE_SIZES["console"]


@pytest.fixture
def services(sqlite_url: str, clock: ManualClock) -> Iterator[Services]:
    built = make_services(sqlite_url, load_hall_config(EXAMPLE), clock=clock)
    yield built
    built.db.engine.dispose()


def is_a(kind: type[Screen[object]], app: ClerkConsole) -> Callable[[], bool]:
    return lambda: isinstance(app.screen, kind)


# Keys that lead from a signed-in console with one SOC visitor waiting to the screen.
ROUTES: dict[str, tuple[tuple[str, ...], type[Screen[object]] | None]] = {
    "main, a visitor called": (("f1",), None),
    "no-show confirmation": (("f1", "f4"), ConfirmDialog),
    "transfer": (("f1", "f6"), TransferDialog),
    "finish": (("f1", "f3", "f7"), FinishDialog),
    "call a number": (("f8",), CallNumberDialog),
    "pause": (("f9",), PauseDialog),
    "one-time notice": (("f1", "f10"), NoticeDialog),
    "conclude a promised case": (("f1", "f3", "f7", "2", "enter", "f11"), ConcludeDialog),
}


@pytest.mark.parametrize("screen", list(ROUTES))
async def test_the_console_screen_fits_every_size(
    screen: str, server: LiveServer, services: Services, clock: ManualClock
) -> None:
    clock.set(local(2026, 11, 26, 9, 30))
    staff_no = clerk(services, hall="demo")
    services.queue.issue("demo", IssueRequest("SOC"))
    keys, dialog = ROUTES[screen]
    async with running_console(server.url, 1, hall="demo", size=SIZES[0]) as (app, pilot):
        await signed_in(app, pilot, staff_no)
        for key in keys:
            await press(app, pilot, key)
        if dialog is not None:
            await until(pilot, is_a(dialog, app), screen)
        else:
            await until(pilot, lambda: app.current is not None, "the call")
        found = await check_sizes(pilot, SIZES, screen)
    assert found == []


async def test_the_sign_in_fits_every_size(server: LiveServer, services: Services) -> None:
    async with running_console(server.url, 1, hall="demo", size=SIZES[0]) as (app, pilot):
        await until(pilot, is_a(LoginDialog, app), "the sign-in")
        found = await check_sizes(pilot, SIZES, "sign-in")
    assert found == []


async def test_the_transfer_note_fits_every_size(
    server: LiveServer, services: Services, clock: ManualClock
) -> None:
    clock.set(local(2026, 11, 26, 9, 30))
    services.queue.issue("demo", IssueRequest("SOC"))
    sender = clerk_at(services, 1, staff_no="2001", hall="demo")
    with httpx.Client(base_url=f"{server.url}/api/v1/halls/demo", timeout=30) as http:
        called = http.post("/windows/1/call-next", headers=sender.headers).json()
        moved = http.post(
            f"/windows/1/tickets/{called['id']}/transfer",
            json={"service": "MED", "note": NOTE},
            headers=sender.headers,
        )
        assert moved.status_code == 201, moved.text
    staff_no = clerk(services, hall="demo")
    async with running_console(server.url, 2, hall="demo", size=SIZES[0]) as (app, pilot):
        await signed_in(app, pilot, staff_no)
        await press(app, pilot, "f1")
        await until(pilot, lambda: NOTE in text(app, "handover"), "the note")
        found = await check_sizes(pilot, SIZES, "transfer note")
    assert found == []
