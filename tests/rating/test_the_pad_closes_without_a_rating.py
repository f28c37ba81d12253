"""A visitor who walks away leaves no rating: the pad closes after its timeout and nothing is
recorded; a replayed finish (the display was offline) does not open the pad at all."""

from __future__ import annotations

from sqlalchemy import func, select

from queue_server.api.deps import Services
from queue_server.domain.access import DeviceKind
from queue_server.storage.tables import Rating
from tests.console.conftest import until
from tests.rating.conftest import running_display
from tests.rating.helpers import Window
from tests.support.auth import device_token
from tests.support.live_server import LiveServer
from window_display.rating import RatingScreen


async def test_the_pad_times_out_with_nothing_recorded(
    server: LiveServer, services: Services
) -> None:
    window = Window(server.url, services)
    token = device_token(services, DeviceKind.DISPLAY, window=1, name="display-1b")
    async with running_display(server.url, 1, token, timeout=2.0) as (display, pilot):
        await until(pilot, lambda: display.online)
        ticket = window.finish()
        await until(pilot, lambda: isinstance(display.screen, RatingScreen), "the pad")
        assert f"({ticket['number']})" in str(display.screen.query_one("#pad-title").render())
        await until(pilot, lambda: not isinstance(display.screen, RatingScreen), "the timeout")
    with services.db.read() as session:
        assert session.scalar(select(func.count()).select_from(Rating)) == 0


async def test_a_key_chooses_and_enter_confirms(server: LiveServer, services: Services) -> None:
    window = Window(server.url, services)
    token = device_token(services, DeviceKind.DISPLAY, window=1, name="display-1b")
    async with running_display(server.url, 1, token) as (display, pilot):
        await until(pilot, lambda: display.online)
        window.finish()
        await until(pilot, lambda: isinstance(display.screen, RatingScreen), "the pad")
        pad = display.screen
        await until(pilot, lambda: bool(pad.query("#level-very_satisfied")), "the levels")
        await pilot.press("1")
        await until(pilot, lambda: bool(pad.query_one("#confirm-box").display), "confirm step")
        with services.db.read() as session:
            assert session.scalar(select(func.count()).select_from(Rating)) == 0
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(display.screen, RatingScreen), "thanks")
    with services.db.read() as session:
        assert session.scalars(select(Rating.level)).all() == ["very_satisfied"]
