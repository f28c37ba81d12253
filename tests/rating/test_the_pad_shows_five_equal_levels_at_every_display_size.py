"""At every size of the window display (docs/devices.md: 80x24, 100x30, 120x36) the pad shows
all five levels in the national order, fully on screen, with equal sizes and none chosen or
focused for the visitor; the confirm step (with the reasons of a low level) fits as well."""

from __future__ import annotations

import pytest
from textual.widgets import Button

from queue_server.api.deps import Services
from queue_server.domain.access import DeviceKind
from tests.console.conftest import until
from tests.rating.conftest import running_display
from tests.rating.helpers import Window
from tests.support.auth import device_token
from tests.support.live_server import LiveServer
from tests.support.screen_geometry import DEVICE_SIZES, fully_visible, problems
from window_display.rating import RatingScreen

LEVELS = ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]


@pytest.mark.parametrize("size", DEVICE_SIZES["display"], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_pad_shows_five_equal_levels(
    size: tuple[int, int], server: LiveServer, services: Services
) -> None:
    window = Window(server.url, services)
    token = device_token(services, DeviceKind.DISPLAY, window=1, name="display-1b")
    async with running_display(server.url, 1, token, size=size) as (display, pilot):
        await until(pilot, lambda: display.online)
        window.finish()
        await until(pilot, lambda: isinstance(display.screen, RatingScreen), "the pad")
        pad = display.screen
        await until(pilot, lambda: len(pad.query("#levels Button")) == 5, "the levels")
        await pilot.pause(0.1)

        levels = list(pad.query("#levels Button").results(Button))
        assert [str(b.label).split()[1] for b in levels] == LEVELS
        assert problems(pad, levels) == []
        assert len({b.region.size for b in levels}) == 1  # equally prominent
        assert len({b.styles.background for b in levels}) == 1
        assert display.focused is None  # no level is pre-chosen: a stray Enter records nothing

        await pilot.click("#level-very_dissatisfied")
        await until(pilot, lambda: bool(pad.query_one("#confirm-box").display), "confirm step")
        await pilot.pause(0.1)
        chosen = str(pad.query_one("#chosen").render())
        assert "非常不满意" in chosen and "Very dissatisfied" in chosen
        for name in ("#submit", "#change", "#chosen"):
            assert problems(pad, [pad.query_one(name)]) == [], name
        # Every reason and the phone field can be reached (the box scrolls on a small screen).
        box = pad.query_one("#reasons-box")
        for widget in [*pad.query("#reasons Button"), pad.query_one("#phone")]:
            box.scroll_to_center(widget, animate=False, immediate=True)
            await pilot.pause(0.05)
            assert fully_visible(widget), widget
            assert problems(pad, [widget]) == []
