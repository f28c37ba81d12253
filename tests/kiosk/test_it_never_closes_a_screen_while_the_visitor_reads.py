"""No time pressure (适老化, docs/devices.md): a screen that goes home by itself counts from
the visitor's last touch or key, shows the time left only in its last 15 seconds with a
继续查看 / Keep reading button that gives the whole time again, and home itself never
closes - after 90 s untouched it only returns to Chinese for the next visitor.

The idle time is counted in a timer the test moves by hand (tests.support.tui.ManualTimer),
so no test waits for a real minute."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from kiosk.screens.base import StillThereScreen
from kiosk.screens.guide import GuideScreen
from kiosk.screens.help import HelpScreen
from kiosk.screens.home import HomeScreen
from kiosk.screens.ticket import TicketScreen
from kiosk.settings import KioskSettings
from printers import PrintWorker
from queue_server.domain.clock import ManualClock
from tests.kiosk.conftest import loaded, running_kiosk, tap, until
from tests.support.live_server import LiveServer
from tests.support.tui import ManualTimer

pytestmark = pytest.mark.usefixtures("cjk_fonts")
DEFAULTS = KioskSettings(server="http://x", hall="h")
TICKET = DEFAULTS.home_after_ticket
GUIDE = DEFAULTS.idle_home_after


def still_there_text(screen: StillThereScreen) -> str:
    shown = screen.query("#still-text").results(Static)
    return "".join(str(text.render()) for text in shown)


async def test_a_touch_gives_the_ticket_screen_its_whole_time_again(
    server: LiveServer, printer: PrintWorker, clock: ManualClock, kiosk_token: str
) -> None:
    assert DEFAULTS.warn_before == 15.0
    timer = ManualTimer()
    async with running_kiosk(
        server.url, printer, clock, token=kiosk_token, monotonic=timer,
        home_after_ticket=TICKET, idle_home_after=GUIDE,
    ) as (app, pilot):  # fmt: skip
        await loaded(app, pilot)
        await tap(pilot, "#lang")
        await tap(pilot, "#svc-SOC")
        await until(pilot, lambda: isinstance(app.screen, GuideScreen), what="the guide")
        await tap(pilot, "#take")
        await until(pilot, lambda: isinstance(app.screen, TicketScreen), what="the ticket")
        ticket = app.screen

        timer.advance(TICKET - 20)  # 20 s left: nothing counts down yet
        await timer.looked_at(pilot)
        assert app.screen is ticket

        await pilot.click("#your-number")  # the visitor touches the screen: 60 s again
        timer.advance(TICKET - 20)
        await timer.looked_at(pilot)
        assert app.screen is ticket

        timer.advance(10)  # 10 s left: the time left and 继续查看
        await until(pilot, lambda: isinstance(app.screen, StillThereScreen), what="the warning")
        warning = app.screen
        assert isinstance(warning, StillThereScreen)
        await until(pilot, lambda: "Back to start in 10 s" in still_there_text(warning))
        assert str(warning.query_one("#keep-reading").label) == "Keep reading"  # type: ignore[attr-defined]

        await tap(pilot, "#keep-reading")
        await until(pilot, lambda: app.screen is ticket, what="the ticket again")
        timer.advance(TICKET - 20)  # the whole time again, not what was left
        await timer.looked_at(pilot)
        assert app.screen is ticket

        timer.advance(20)
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), what="home")
        assert app.lang == "zh"  # and the next visitor meets Chinese


async def test_a_key_keeps_the_guide_open_and_home_never_closes(
    server: LiveServer, printer: PrintWorker, clock: ManualClock, kiosk_token: str
) -> None:
    timer = ManualTimer()
    async with running_kiosk(
        server.url, printer, clock, token=kiosk_token, monotonic=timer,
        idle_home_after=GUIDE, home_lang_reset_after=90.0,
    ) as (app, pilot):  # fmt: skip
        await loaded(app, pilot)
        await tap(pilot, "#lang")
        await tap(pilot, "#svc-SOC")
        await until(pilot, lambda: isinstance(app.screen, GuideScreen), what="the guide")
        guide = app.screen

        timer.advance(GUIDE - 5)
        await until(pilot, lambda: isinstance(app.screen, StillThereScreen), what="the warning")
        await pilot.press("down")  # any key is the visitor still being there
        await until(pilot, lambda: app.screen is guide, what="the guide again")
        timer.advance(GUIDE - 20)
        await timer.looked_at(pilot)
        assert app.screen is guide

        # Help open on top: the visitor is waiting for staff, the guide does not leave.
        await tap(pilot, "#help")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        timer.advance(DEFAULTS.help_shown_for - 10)
        await timer.looked_at(pilot)
        await pilot.click("#help-text")  # a touch keeps the help message too
        timer.advance(DEFAULTS.help_shown_for - 10)
        await timer.looked_at(pilot)
        assert isinstance(app.screen, HelpScreen)
        timer.advance(11)
        await until(pilot, lambda: app.screen is guide, what="help closed by itself")

        await tap(pilot, "#back")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), what="home")
        home = app.screen
        assert app.lang == "en"
        timer.advance(89)
        await timer.looked_at(pilot)
        assert app.lang == "en" and app.screen is home  # no warning, no countdown at home
        timer.advance(2)
        await until(pilot, lambda: app.lang == "zh", what="Chinese again")
        assert app.screen is home
