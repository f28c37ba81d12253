"""Every kiosk screen at every kiosk size of docs/devices.md, in Chinese then English, with
the example hall: every button and field is fully on screen (or, on the 80x24 minimum,
reachable by scrolling its own scroll area), and no text is cut, ends in "…" or breaks a
word across lines. The elder look (the default) and the plain look both."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.containers import ScrollableContainer
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input

from hallq_client import HallqClient
from kiosk.app import KioskApp
from kiosk.screens.checkin import CheckInScreen
from kiosk.screens.guide import GuideScreen
from kiosk.screens.help import HelpScreen
from kiosk.screens.home import CategoryScreen, HomeScreen, categories
from kiosk.screens.ticket import TicketScreen
from kiosk.screens.ticket_state import TicketStateScreen
from kiosk.texts import Lang
from printers import PrintWorker, TransportError
from printers.transports import DummyTransport
from queue_server.api.deps import Services
from queue_server.config.loader import load_hall_config
from queue_server.domain.clock import ManualClock
from queue_server.services.bookings import BookingRequest, CheckInRequest
from tests.bookings.helpers import person
from tests.kiosk.conftest import FAST, kiosk_token_for, loaded, tap, until
from tests.support.auth import clerk_at
from tests.support.factories import local, make_services
from tests.support.live_server import LiveServer
from tests.support.screen_geometry import (
    DEVICE_SIZES,
    cut_labels,
    fully_visible,
    interactive,
    truncation,
)

pytestmark = pytest.mark.usefixtures("cjk_fonts")
EXAMPLE = Path(__file__).parents[2] / "queue_server" / "config" / "hall.example.toml"


@pytest.fixture
def services(sqlite_url: str, clock: ManualClock) -> Iterator[Services]:
    built = make_services(sqlite_url, load_hall_config(EXAMPLE), clock=clock)
    yield built
    built.db.engine.dispose()


async def reachable(pilot: Pilot[None], widget: Widget) -> bool:
    """Fully visible, or made so by scrolling the scroll area it lives in."""
    if fully_visible(widget):
        return True
    area = next((a for a in widget.ancestors if isinstance(a, ScrollableContainer)), None)
    if area is None:
        return False
    area.scroll_to_center(widget, animate=False, immediate=True)
    await pilot.pause(0.05)
    return fully_visible(widget)


async def check_every_size(pilot: Pilot[None], name: str, found: list[str]) -> None:
    app = pilot.app
    for size in DEVICE_SIZES["kiosk"]:
        await pilot.resize_terminal(*size)
        await pilot.pause(0.3)
        screen = app.screen
        for widget in list(interactive(screen)):
            if not await reachable(pilot, widget):
                found.append(f"{name} {size}: {widget!r} not on screen ({widget.region})")
            elif (cut := truncation(widget)) is not None:
                found.append(f"{name} {size}: {widget!r}: {cut}")
        found += [f"{name} {size}: {problem}" for problem in cut_labels(screen)]
    await pilot.resize_terminal(*DEVICE_SIZES["kiosk"][0])
    await pilot.pause(0.3)


@pytest.mark.parametrize("mode", ["elder", "plain"])
@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_every_screen_fits_every_kiosk_size(
    lang: Lang,
    mode: str,
    server: LiveServer,
    services: Services,
    clock: ManualClock,
) -> None:
    clock.set(local(2026, 11, 26, 9, 45))
    booking = services.bookings.book(
        "demo", BookingRequest("SOC", local(2026, 11, 26, 10, 0), **person(41))
    )
    transport = DummyTransport({1: b"\x12", 2: b"\x12", 4: b"\x12"})
    printer = PrintWorker(transport, clock=clock.now, job_timeout=10.0, status_timeout=0.5)
    settings = dataclasses.replace(FAST, server=server.url, hall="demo", lang=lang)
    client = HallqClient(server.url, "demo", token=kiosk_token_for(services, "demo"))
    app = KioskApp(settings, client, printer, clock=clock.now)
    found: list[str] = []
    try:
        async with app.run_test(size=DEVICE_SIZES["kiosk"][0]) as pilot:
            await loaded(app, pilot)
            if mode == "plain":
                await tap(pilot, "#mode")
                await until(pilot, lambda: app.mode == "plain", what="the plain look")
            await check_every_size(pilot, "home", found)

            grouped = categories(app.catalog) or []
            many = next(i for i, c in enumerate(grouped) if len(c.services) > 1)
            await tap(pilot, f"#cat-{many}")
            await until(pilot, lambda: isinstance(app.screen, CategoryScreen), what="category")
            await check_every_size(pilot, "category", found)
            await tap(pilot, "#back")
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), what="home")

            await tap(pilot, "#help")
            await until(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
            await check_every_size(pilot, "help", found)
            await tap(pilot, "#help-close")
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), what="home")

            soc = next(i for i, c in enumerate(grouped) if c.services[0].code == "SOC")
            await tap(pilot, f"#cat-{soc}")
            await until(pilot, lambda: isinstance(app.screen, GuideScreen), what="the guide")
            await check_every_size(pilot, "guide", found)

            transport.fail_with = TransportError("paper jam")
            await tap(pilot, "#take")
            await until(pilot, lambda: isinstance(app.screen, TicketScreen), what="ticket")
            ticket = app.screen
            assert isinstance(ticket, TicketScreen)
            await until(pilot, lambda: ticket.print_state == "failed", what="failed print")
            await check_every_size(pilot, "ticket, receipt not printed", found)
            await tap(pilot, "#done")
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), what="home")
            if mode == "plain":  # the next visitor meets the elder look again
                assert app.mode == "elder"
                await tap(pilot, "#mode")

            await tap(pilot, "#checkin")
            await until(pilot, lambda: isinstance(app.screen, CheckInScreen), what="check-in")
            await check_every_size(pilot, "check-in", found)

            # The booking's ticket called and missed: the state screen.
            transport.fail_with = None
            checked = services.bookings.check_in("demo", CheckInRequest(code=booking.code))
            assert checked.ticket is not None
            number = checked.ticket.number
            clerk_at(services, 1, hall="demo")
            called = services.queue.call_next("demo", 1)
            assert called is not None and called.number == number
            services.queue.no_show("demo", 1, called.id)
            app.screen.query_one("#checkin-code", Input).value = booking.code
            await tap(pilot, "#checkin-go")
            await until(pilot, lambda: isinstance(app.screen, TicketStateScreen), what="state")
            await check_every_size(pilot, "ticket state", found)
    finally:
        printer.close()
    assert found == []
