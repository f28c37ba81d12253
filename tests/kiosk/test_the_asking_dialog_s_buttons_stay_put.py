"""While the kiosk asks the server (a number, a check-in, an ID card), its text changes from
"please wait" to "retrying" to a refusal with its reason. The cancel and help buttons must
stay exactly where they are through all of it: a visitor reaching for 取消 as the text
changed tapped the place the button had just left, and nothing happened (seen as a lost tap
in CI, 7 December 2026). At every kiosk size, in both languages, elder and plain look, for
every refusal the screens can show."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from textual.geometry import Region
from textual.pilot import Pilot

from kiosk.app import KioskApp
from kiosk.screens.checkin import CheckingInScreen
from kiosk.screens.idcard import CardPresentingScreen
from kiosk.screens.taking import AskingScreen, TakingScreen
from kiosk.taking import Refused
from kiosk.texts import text_keys
from printers import PrintWorker
from queue_server.domain.clock import ManualClock
from tests.kiosk.conftest import running_kiosk, until
from tests.support.live_server import free_port
from tests.support.screen_geometry import DEVICE_SIZES

REFUSALS = [key.removeprefix("refused_") for key in text_keys("refused_")]


class Scripted:
    """What the server does, step by step, as the test says: fail once (a retry), then
    refuse with the given code."""

    def __init__(self) -> None:
        self.retry = asyncio.Event()
        self.refuse: asyncio.Queue[str] = asyncio.Queue()

    async def ask(self, on_retry: Callable[[int], None]) -> None:
        await self.retry.wait()
        on_retry(128)  # three digits: the longest attempt count a visitor would see
        code = await self.refuse.get()
        raise Refused(code, f"the server says no ({code})")


def scripted(base: type[AskingScreen[object]], script: Scripted) -> AskingScreen[object]:
    class Screen(base):  # type: ignore[valid-type, misc]
        def __init__(self) -> None:
            AskingScreen.__init__(self)

        def ask(self, on_retry: Callable[[int], None]) -> Awaitable[object]:
            return script.ask(on_retry)

    return Screen()


def buttons(app: KioskApp) -> list[Region]:
    return [app.screen.query_one(f"#{name}").region for name in ("taking-cancel", "help")]


async def moves_through_its_texts(
    app: KioskApp, pilot: Pilot[None], screen: type[AskingScreen[object]]
) -> list[str]:
    """Where the buttons went when the text changed, at the terminal's current size."""
    moved: list[str] = []
    script = Scripted()
    asking = scripted(screen, script)
    app.push_screen(asking)
    await until(pilot, lambda: app.screen is asking, what="the asking dialog")
    await pilot.pause()
    waiting = buttons(app)
    assert all(region.area for region in waiting), waiting

    script.retry.set()
    await until(pilot, lambda: asking.attempts > 0, what="a retry")
    await pilot.pause()
    if buttons(app) != waiting:
        moved.append(f"retrying: {waiting} -> {buttons(app)}")

    first, *others = REFUSALS
    script.refuse.put_nowait(first)
    await until(pilot, lambda: asking.refused is not None, what="a refusal")
    for code in [None, *others]:
        if code is not None:  # the other reasons, shown the way the first one was
            asking.refused = Refused(code, f"the server says no ({code})")
            asking.relabel()
        await pilot.pause()
        if buttons(app) != waiting:
            moved.append(f"refused, {asking.refused}: {waiting} -> {buttons(app)}")
    asking.dismiss(None)
    await until(pilot, lambda: app.screen is not asking, what="back")
    return moved


@pytest.mark.parametrize("mode", ["elder", "plain"])
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(
    "screen",
    [TakingScreen, CheckingInScreen, CardPresentingScreen],
    ids=["taking", "checkin", "card"],
)
async def test_the_buttons_do_not_move_while_the_text_changes(
    screen: type[AskingScreen[object]],
    lang: str,
    mode: str,
    printer: PrintWorker,
    clock: ManualClock,
) -> None:
    # Nobody listens: the kiosk is cut off, and the screen's answers come from the script.
    async with running_kiosk(f"http://127.0.0.1:{free_port()}", printer, clock, token=None) as (
        app,
        pilot,
    ):
        app.lang = lang  # type: ignore[assignment]
        if mode == "plain":
            app.mode = "plain"
        moved: list[str] = []
        for size in DEVICE_SIZES["kiosk"]:
            await pilot.resize_terminal(*size)
            moved += [f"{size} {m}" for m in await moves_through_its_texts(app, pilot, screen)]
        assert moved == []
