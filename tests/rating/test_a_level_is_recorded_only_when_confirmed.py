"""On the display's own 80x24 screen each of the five levels can be recorded, and only after
the visitor confirms it: a tap on a level alone records nothing when the pad times out, and
a changed mind records the level chosen last."""

from __future__ import annotations

from sqlalchemy import select

from queue_server.api.deps import Services
from queue_server.domain.access import DeviceKind
from queue_server.storage.tables import Rating
from tests.console.conftest import until
from tests.rating.conftest import running_display
from tests.rating.helpers import Window
from tests.support.auth import device_token
from tests.support.live_server import LiveServer
from window_display.rating import RatingScreen

LEVELS = ["very_satisfied", "satisfied", "basically_satisfied", "dissatisfied", "very_dissatisfied"]


def recorded(services: Services) -> list[str]:
    with services.db.read() as session:
        return list(session.scalars(select(Rating.level).order_by(Rating.id)))


async def test_each_level_is_recorded_once_after_confirming(
    server: LiveServer, services: Services
) -> None:
    window = Window(server.url, services)
    token = device_token(services, DeviceKind.DISPLAY, window=1, name="display-1b")
    async with running_display(server.url, 1, token, size=(80, 24)) as (display, pilot):
        await until(pilot, lambda: display.online)
        for level in LEVELS:
            window.finish()
            await until(pilot, lambda: isinstance(display.screen, RatingScreen), "the pad")
            pad = display.screen
            button = f"#level-{level}"
            await until(pilot, lambda p=pad, b=button: bool(p.query(b)), "the levels")
            await pilot.pause(0.05)
            await pilot.click(button)
            await until(pilot, lambda p=pad: bool(p.query_one("#confirm-box").display), "confirm")
            assert len(recorded(services)) == LEVELS.index(level)  # chosen, not yet recorded
            await pilot.click("#submit")
            await until(pilot, lambda: not isinstance(display.screen, RatingScreen), "thanks")
    assert sorted(recorded(services)) == sorted(LEVELS)


async def test_a_tap_without_confirming_records_nothing(
    server: LiveServer, services: Services
) -> None:
    window = Window(server.url, services)
    token = device_token(services, DeviceKind.DISPLAY, window=1, name="display-1b")
    # The pad's wait must outlast a loaded machine's steps to the tap (1.5 s did not, once).
    async with running_display(server.url, 1, token, size=(80, 24), timeout=4.0) as (
        display,
        pilot,
    ):
        await until(pilot, lambda: display.online)
        window.finish()
        await until(pilot, lambda: isinstance(display.screen, RatingScreen), "the pad")
        pad = display.screen
        await until(pilot, lambda: bool(pad.query("#level-very_satisfied")), "the levels")
        await pilot.pause(0.05)
        await pilot.click("#level-very_satisfied")
        await until(pilot, lambda: bool(pad.query_one("#confirm-box").display), "confirm")
        await until(pilot, lambda: not isinstance(display.screen, RatingScreen), "the timeout")
    assert recorded(services) == []


async def test_a_changed_mind_records_the_last_choice(
    server: LiveServer, services: Services
) -> None:
    window = Window(server.url, services)
    token = device_token(services, DeviceKind.DISPLAY, window=1, name="display-1b")
    async with running_display(server.url, 1, token, size=(80, 24)) as (display, pilot):
        await until(pilot, lambda: display.online)
        window.finish()
        await until(pilot, lambda: isinstance(display.screen, RatingScreen), "the pad")
        pad = display.screen
        await until(pilot, lambda: bool(pad.query("#level-very_satisfied")), "the levels")
        await pilot.pause(0.05)
        await pilot.click("#level-very_satisfied")
        await until(pilot, lambda: bool(pad.query_one("#confirm-box").display), "confirm")
        await pilot.click("#change")
        await until(pilot, lambda: bool(pad.query_one("#levels").display), "the levels again")
        await pilot.pause(0.05)
        await pilot.click("#level-satisfied")
        await until(pilot, lambda: bool(pad.query_one("#confirm-box").display), "confirm")
        await pilot.click("#submit")
        await until(pilot, lambda: not isinstance(display.screen, RatingScreen), "thanks")
    assert recorded(services) == ["satisfied"]
