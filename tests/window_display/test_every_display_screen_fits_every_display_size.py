"""Every screen of the window display - waiting, a number called, serving, paused (the
longest reason), closed, connecting, offline, the rating pad and its confirm step (with the
reasons of a low level) - at every display size of docs/devices.md (80x24, 100x30,
120x36). The display shows Chinese and English together, so one rendering covers both
languages: nothing is cut, ends in "…" or breaks a word, and every button and field of the
pad is fully on screen (or in the confirm step's own scroll area) and clear of the others."""

from __future__ import annotations

import pytest
from textual.widgets import Button

from queue_server.api.deps import Services
from queue_server.domain.access import DeviceKind
from tests.rating.conftest import running_display
from tests.rating.helpers import Window
from tests.support.auth import device_token
from tests.support.live_server import LiveServer
from tests.support.screen_geometry import DEVICE_SIZES
from tests.support.tui import check_sizes, piloted, until
from window_display.app import WindowDisplay
from window_display.rating import RatingScreen
from window_display.state import Clerk, WindowState

SIZES = DEVICE_SIZES["display"]
CLERK = Clerk("欧阳建国", "100245")
NAME = "不动产登记与交易窗口"
STATES = {
    "waiting": WindowState(12, NAME, "idle", clerk=CLERK),
    "called": WindowState(12, NAME, "called", "K107", clerk=CLERK),
    "serving": WindowState(12, NAME, "serving", "K107", clerk=CLERK),
    "paused": WindowState(12, NAME, "paused", pause_reason="backup_cover", clerk=CLERK),
    "closed": WindowState(12, NAME, "closed"),
    "connecting": WindowState(12, NAME, "unknown"),
}


@pytest.mark.parametrize("online", [True, False], ids=["online", "offline"])
@pytest.mark.parametrize("name", list(STATES))
async def test_the_display_screen_fits_every_size(name: str, online: bool) -> None:
    app = WindowDisplay(12, initial=STATES[name], online=online)
    async with piloted(app, SIZES[0]) as pilot:
        found = await check_sizes(pilot, SIZES, name)
    assert found == []


async def test_the_rating_pad_and_its_confirm_step_fit_every_size(
    server: LiveServer, services: Services
) -> None:
    window = Window(server.url, services)
    token = device_token(services, DeviceKind.DISPLAY, window=1, name="display-1c")
    async with running_display(server.url, 1, token, size=SIZES[0]) as (display, pilot):
        await until(pilot, lambda: display.online, "online")
        window.finish()
        await until(pilot, lambda: isinstance(display.screen, RatingScreen), "the pad")
        pad = display.screen
        await until(pilot, lambda: len(pad.query("#levels Button")) == 5, "the levels")
        found = await check_sizes(pilot, SIZES, "the pad")
        assert isinstance(pad.query_one("#level-very_dissatisfied"), Button)
        await pilot.click("#level-very_dissatisfied")
        await until(pilot, lambda: bool(pad.query_one("#confirm-box").display), "confirm step")
        found += await check_sizes(pilot, SIZES, "the confirm step")
    assert found == []
