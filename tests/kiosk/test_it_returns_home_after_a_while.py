"""The ticket screen goes home by itself (generously in real life), in the default language."""

from __future__ import annotations

import pytest

from kiosk.screens.guide import GuideScreen
from kiosk.screens.home import HomeScreen
from kiosk.screens.ticket import TicketScreen
from kiosk.settings import KioskSettings
from printers import PrintWorker
from queue_server.domain.clock import ManualClock
from tests.kiosk.conftest import loaded, running_kiosk, screen_text, tap, until
from tests.support.live_server import LiveServer
from tests.support.tui import ManualTimer

pytestmark = pytest.mark.usefixtures("cjk_fonts")


def test_the_defaults_leave_a_slow_reader_time() -> None:
    defaults = KioskSettings(server="http://x", hall="h")
    assert defaults.home_after_ticket >= 60
    assert defaults.home_after_print_failure >= defaults.home_after_ticket
    assert defaults.idle_home_after >= 120
    assert defaults.help_shown_for >= 30


async def test_it_returns_home_after_a_while(
    server: LiveServer,
    printer: PrintWorker,
    clock: ManualClock,
    kiosk_token: str,
) -> None:
    # The idle time is moved by hand: on the wall clock a loaded machine could skip the few
    # tenths of a second the countdown shows before the screen leaves.
    timer = ManualTimer()
    async with running_kiosk(
        server.url, printer, clock, token=kiosk_token, monotonic=timer, home_after_ticket=60
    ) as (app, pilot):
        await loaded(app, pilot)
        await tap(pilot, "#lang")
        await tap(pilot, "#svc-SOC")
        await until(pilot, lambda: isinstance(app.screen, GuideScreen), what="the guide")
        await tap(pilot, "#take")
        await until(pilot, lambda: isinstance(app.screen, TicketScreen), what="the ticket")
        timer.advance(50)  # 10 s left: the countdown shows
        await until(pilot, lambda: "Back to start in" in screen_text(app), what="countdown")
        timer.advance(11)
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), what="home")
        assert app.lang == "zh"  # the next visitor starts in Chinese


async def test_a_guide_left_alone_goes_home(
    server: LiveServer,
    printer: PrintWorker,
    clock: ManualClock,
    kiosk_token: str,
) -> None:
    # Long enough that a test machine busy with other servers still sees the guide before
    # it leaves; at 0.6 s a stalled event loop skipped the guide entirely.
    async with running_kiosk(
        server.url, printer, clock, token=kiosk_token, idle_home_after=2.0
    ) as (app, pilot):
        await loaded(app, pilot)
        await tap(pilot, "#svc-TAX")
        await until(pilot, lambda: isinstance(app.screen, GuideScreen), what="the guide")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), what="home", timeout=8)
