"""Every kiosk screen at every kiosk size of docs/devices.md, in Chinese then English, with
the example hall: every button and field is fully on screen (or, on the 80x24 minimum,
reachable by scrolling its own scroll area), and no text is cut, ends in "…" or breaks a
word across lines. The elder look (the default) and the plain look both. The screens of a
kiosk cut off from the server too: a ticket issued from its lease, and its lease used up
("see staff")."""

from __future__ import annotations

import dataclasses
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from hallq_client import HallqClient
from kiosk.app import KioskApp
from kiosk.screens.base import StillThereScreen
from kiosk.screens.checkin import CheckInScreen
from kiosk.screens.guide import GuideScreen
from kiosk.screens.help import HelpScreen
from kiosk.screens.home import CategoryScreen, HomeScreen, categories
from kiosk.screens.taking import TakingScreen
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
from tests.support.screen_geometry import DEVICE_SIZES
from tests.support.tui import ManualTimer, check_sizes, piloted

pytestmark = pytest.mark.usefixtures("cjk_fonts")
EXAMPLE = Path(__file__).parents[2] / "queue_server" / "config" / "hall.example.toml"


@pytest.fixture
def services(sqlite_url: str, clock: ManualClock) -> Iterator[Services]:
    built = make_services(sqlite_url, load_hall_config(EXAMPLE), clock=clock)
    yield built
    built.db.engine.dispose()


async def check_every_size(pilot: Pilot[None], name: str, found: list[str]) -> None:
    found += await check_sizes(pilot, DEVICE_SIZES["kiosk"], name)


def closed_port() -> int:
    """A loopback port nobody listens on: the server is out of reach."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize("mode", ["elder", "plain"])
@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_every_screen_fits_every_kiosk_size(
    lang: Lang,
    mode: str,
    server: LiveServer,
    services: Services,
    clock: ManualClock,
    tmp_path: Path,
) -> None:
    clock.set(local(2026, 11, 26, 9, 45))
    booking = services.bookings.book(
        "demo", BookingRequest("SOC", local(2026, 11, 26, 10, 0), **person(41))
    )
    transport = DummyTransport({1: b"\x12", 2: b"\x12", 4: b"\x12"})
    printer = PrintWorker(transport, clock=clock.now, job_timeout=10.0, status_timeout=0.5)
    # The catalog is refreshed by the test only: the hall's state must not change under it.
    # A journal for issuing offline; patience long until the test cuts the kiosk off.
    settings = dataclasses.replace(
        FAST,
        server=server.url,
        hall="demo",
        lang=lang,
        refresh_every=3600.0,
        offline_journal=str(tmp_path / "kiosk-journal.sqlite"),
        offline_patience=3600.0,
    )
    client = HallqClient(server.url, "demo", token=kiosk_token_for(services, "demo"))
    timer = ManualTimer()  # nothing closes by itself unless the test says so
    app = KioskApp(settings, client, printer, clock=clock.now, monotonic=timer)
    found: list[str] = []
    try:
        async with piloted(app, DEVICE_SIZES["kiosk"][0]) as pilot:
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

            async def home_again() -> None:
                await until(pilot, lambda: isinstance(app.screen, HomeScreen), what="home")
                if mode == "plain":  # the next visitor meets the elder look again
                    assert app.mode == "elder"
                    await tap(pilot, "#mode")
                    await until(pilot, lambda: app.mode == "plain", what="the plain look")

            async def to_guide() -> None:
                await tap(pilot, f"#cat-{soc}")
                await until(pilot, lambda: isinstance(app.screen, GuideScreen), what="guide")

            await to_guide()
            await check_every_size(pilot, "guide", found)

            # The hall closed meanwhile: the server refuses, the screen says why.
            clock.set(local(2026, 11, 26, 23, 0))
            await tap(pilot, "#take")
            await until(pilot, lambda: isinstance(app.screen, TakingScreen), what="taking")
            refused = app.screen
            assert isinstance(refused, TakingScreen)
            await until(pilot, lambda: refused.refused is not None, what="the refusal")
            await check_every_size(pilot, "taking, refused", found)
            await tap(pilot, "#taking-cancel")
            await until(pilot, lambda: isinstance(app.screen, GuideScreen), what="guide")
            clock.set(local(2026, 11, 26, 9, 50))
            assert await app.refresh_catalog()  # the hall open again, without waiting 30 s

            # The server out of reach while the number is asked for: the kiosk keeps trying.
            reachable_client = app.client
            app.client = HallqClient(f"http://127.0.0.1:{closed_port()}", "demo")
            assert app.offline_issuer is not None  # it asks through its own client
            app.offline_issuer.client = app.client
            await tap(pilot, "#take")
            await until(pilot, lambda: isinstance(app.screen, TakingScreen), what="taking")
            taking = app.screen
            assert isinstance(taking, TakingScreen)
            await until(pilot, lambda: taking.attempts > 0, what="a retry")
            await check_every_size(pilot, "taking, retrying", found)
            await tap(pilot, "#taking-cancel")
            await until(pilot, lambda: isinstance(app.screen, GuideScreen), what="guide")
            await app.client.aclose()
            app.client = app.offline_issuer.client = reachable_client
            assert await app.refresh_catalog()

            transport.fail_with = TransportError("paper jam")
            await tap(pilot, "#take")
            await until(pilot, lambda: isinstance(app.screen, TicketScreen), what="ticket")
            ticket = app.screen
            assert isinstance(ticket, TicketScreen)
            await until(pilot, lambda: ticket.print_state == "failed", what="failed print")
            await check_every_size(pilot, "ticket, receipt not printed", found)
            await tap(pilot, "#done")
            await home_again()

            transport.fail_with = None
            await to_guide()
            await tap(pilot, "#take")
            await until(pilot, lambda: isinstance(app.screen, TicketScreen), what="ticket")
            printed = app.screen
            assert isinstance(printed, TicketScreen)
            await until(pilot, lambda: printed.print_state == "printed", what="the receipt")
            await check_every_size(pilot, "ticket, receipt printed", found)
            timer.advance(settings.home_after_ticket - 5)
            await until(pilot, lambda: isinstance(app.screen, StillThereScreen), what="keep?")
            await check_every_size(pilot, "keep reading", found)
            await tap(pilot, "#keep-reading")
            await until(pilot, lambda: app.screen is printed, what="the ticket again")
            await tap(pilot, "#done")
            await home_again()

            # Cut off from the server: a number from the kiosk's lease, then none left.
            issuer = app.offline_issuer
            assert issuer is not None
            await until(pilot, lambda: issuer.book.left("SOC", clock.now()) > 0, what="a lease")
            online_client = issuer.client
            issuer.client = HallqClient(f"http://127.0.0.1:{closed_port()}", "demo")
            issuer.patience = 0.3
            await to_guide()
            await tap(pilot, "#take")
            await until(pilot, lambda: isinstance(app.screen, TicketScreen), what="ticket")
            offline = app.screen
            assert isinstance(offline, TicketScreen) and offline.ticket.offline
            await until(pilot, lambda: offline.print_state == "printed", what="the receipt")
            await check_every_size(pilot, "ticket, issued offline", found)
            await tap(pilot, "#done")
            await home_again()

            while issuer.book.left("SOC", clock.now()):  # other visitors took the rest
                issuer.book.issue("SOC", "normal", clock.now())
            await to_guide()
            await tap(pilot, "#take")
            await until(pilot, lambda: isinstance(app.screen, TakingScreen), what="taking")
            used_up = app.screen
            assert isinstance(used_up, TakingScreen)
            await until(pilot, lambda: used_up.refused is not None, what="the refusal")
            assert used_up.refused is not None and used_up.refused.code == "lease_exhausted"
            await check_every_size(pilot, "taking, lease used up", found)
            await tap(pilot, "#taking-cancel")
            await until(pilot, lambda: isinstance(app.screen, GuideScreen), what="guide")
            await issuer.client.aclose()
            issuer.client, issuer.patience = online_client, 3600.0
            await tap(pilot, "#back")  # the same visitor, the same look
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), what="home")

            await tap(pilot, "#checkin")
            await until(pilot, lambda: isinstance(app.screen, CheckInScreen), what="check-in")
            await check_every_size(pilot, "check-in", found)

            # The booking's ticket called and missed: the state screen.
            checked = services.bookings.check_in("demo", CheckInRequest(code=booking.code))
            assert checked.ticket is not None
            number = checked.ticket.number
            clerk_at(services, 1, hall="demo")
            # By number: the two visitors who took numbers above are waiting too.
            called = services.queue.call_specific("demo", 1, number, "预约到场 booking on time")
            assert called.number == number
            services.queue.no_show("demo", 1, called.id)
            app.screen.query_one("#checkin-code", Input).value = booking.code
            await tap(pilot, "#checkin-go")
            await until(pilot, lambda: isinstance(app.screen, TicketStateScreen), what="state")
            await check_every_size(pilot, "ticket state", found)
    finally:
        printer.close()
    assert found == []
