"""The clerk console at each console size of docs/devices.md (100x30, 120x40, 160x50) with the
example hall: all twelve function keys show their whole label, the transfer dialog lists
every service (its list scrolls), a refusal reads in Chinese with the server's English, and
the sign-out goodbye is not shown as an error."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Button, OptionList, Static

from queue_server.api.deps import Services
from queue_server.config.loader import load_hall_config
from queue_server.domain.clock import ManualClock
from queue_server.services.tickets import IssueRequest
from tests.console.conftest import clerk, press, running_console, signed_in, until
from tests.support.factories import local, make_services
from tests.support.live_server import LiveServer
from tests.support.screen_geometry import DEVICE_SIZES, fully_visible, problems
from window_display.console_dialogs import LoginDialog, TransferDialog

EXAMPLE = Path(__file__).parents[2] / "queue_server" / "config" / "hall.example.toml"


@pytest.fixture
def services(sqlite_url: str, clock: ManualClock) -> Iterator[Services]:
    built = make_services(sqlite_url, load_hall_config(EXAMPLE), clock=clock)
    yield built
    built.db.engine.dispose()


@pytest.mark.parametrize("size", DEVICE_SIZES["console"], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_every_key_and_choice_is_visible(
    size: tuple[int, int], server: LiveServer, services: Services, clock: ManualClock
) -> None:
    clock.set(local(2026, 11, 26, 9, 30))
    staff_no = clerk(services, hall="demo")
    services.queue.issue("demo", IssueRequest("SOC"))
    async with running_console(server.url, 1, hall="demo", size=size) as (app, pilot):
        await signed_in(app, pilot, staff_no)
        keys = list(app.query("#keys Button").results(Button))
        assert len(keys) == 12
        assert problems(app.screen, keys) == []

        # A refusal: F3 with nobody called is refused by the console; starting twice by
        # the server, whose English words follow the Chinese.
        await press(app, pilot, "f1")
        await press(app, pilot, "f3")
        await press(app, pilot, "f3")
        assert app.message.startswith("✖ 当前状态下不能这样操作 / "), app.message
        assert problems(app.screen, [app.query_one("#message", Static)]) == []

        await press(app, pilot, "f6")
        await until(pilot, lambda: isinstance(app.screen, TransferDialog), "the transfer")
        await pilot.pause(0.1)
        dialog = app.screen
        choices = dialog.query_one("#service-list", OptionList)
        assert choices.option_count == len(services.halls.get("demo").config.services)
        for index in range(choices.option_count):
            choices.highlighted = index  # scrolls the list to the option
            await pilot.pause(0.02)
        assert choices.scroll_y > 0 or choices.max_scroll_y == 0
        assert problems(dialog) == [], problems(dialog)
        assert all(fully_visible(w) for w in dialog.query("Input, #ok, #cancel"))
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, TransferDialog), "closed")

        await press(app, pilot, "f7")  # finish first: nobody is left at an empty window
        await press(app, pilot, "1")
        await until(pilot, lambda: app.current is None, "the finish")
        await pilot.press("f12")
        await until(pilot, lambda: isinstance(app.screen, LoginDialog), "the login again")
        await pilot.pause(0.1)
        goodbye = app.screen.query_one("#dialog-error", Static)
        assert "已签退" in str(goodbye.render()) and goodbye.has_class("news")
