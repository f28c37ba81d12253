"""A booking code entered again after its ticket moved on: the kiosk says what became of the
ticket and prints nothing. Here the clerk marks the visitor no-show at the real console
(with its confirmation) between the two check-ins; a code entered again while the ticket
still waits shows and prints the same number, marked as a repeat check-in."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select
from textual.widgets import Input

from kiosk.app import KioskApp
from kiosk.screens.checkin import CheckInScreen
from kiosk.screens.home import HomeScreen
from kiosk.screens.ticket import TicketScreen
from kiosk.screens.ticket_state import TicketStateScreen
from printers import PrintWorker
from printers.transports import DummyTransport
from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from queue_server.services.bookings import BookingRequest
from queue_server.storage.tables import Ticket
from tests.bookings.helpers import booking_hall, person
from tests.console.conftest import clerk, press, running_console, signed_in
from tests.kiosk.conftest import loaded, running_kiosk, screen_text, tap, until
from tests.support.factories import local, make_services
from tests.support.live_server import LiveServer
from window_display.console_dialogs import ConfirmDialog

pytestmark = pytest.mark.usefixtures("cjk_fonts")


@pytest.fixture
def services(sqlite_url: str, clock: ManualClock) -> Iterator[Services]:
    built = make_services(sqlite_url, booking_hall(), clock=clock)
    yield built
    built.db.engine.dispose()


async def check_in(app: KioskApp, pilot, code: str) -> None:  # type: ignore[no-untyped-def]
    await tap(pilot, "#checkin")
    await until(pilot, lambda: isinstance(app.screen, CheckInScreen), what="check-in")
    app.screen.query_one("#checkin-code", Input).value = code
    await tap(pilot, "#checkin-go")


async def test_a_no_show_code_entered_again_prints_nothing_and_says_so(
    server: LiveServer,
    services: Services,
    printer: PrintWorker,
    transport: DummyTransport,
    clock: ManualClock,
    kiosk_token: str,
) -> None:
    booking = services.bookings.book(
        "test", BookingRequest("SOC", local(2026, 11, 26, 10, 0), **person(31))
    )
    clock.set(local(2026, 11, 26, 9, 45))
    staff_no = clerk(services)

    async with running_kiosk(server.url, printer, clock, token=kiosk_token) as (app, pilot):
        await loaded(app, pilot)
        await until(pilot, lambda: app.appointments, what="the check-in button")
        await check_in(app, pilot, booking.code)
        await until(pilot, lambda: isinstance(app.screen, TicketScreen), what="the ticket")
        await until(pilot, lambda: len(transport.jobs) == 1, what="the receipt")
        number = app.screen.ticket.number  # type: ignore[attr-defined]
        await tap(pilot, "#done")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), what="home")

        # Entered again while the ticket waits: the same number, said to be a repeat.
        await check_in(app, pilot, booking.code)
        await until(pilot, lambda: isinstance(app.screen, TicketScreen), what="the ticket")
        assert app.screen.ticket.number == number  # type: ignore[attr-defined]
        # The screen is current before it has written its texts: wait for them.
        await until(pilot, lambda: "您已签到过，号码不变" in screen_text(app), what="the repeat")
        await tap(pilot, "#done")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), what="home")
    printed_before = len(transport.jobs)

    async with running_console(server.url, 1) as (console, pilot):
        await signed_in(console, pilot, staff_no)
        await press(console, pilot, "f1")
        assert console.current is not None and console.current["number"] == number
        await pilot.press("f4")
        await until(pilot, lambda: isinstance(console.screen, ConfirmDialog), what="the question")
        await pilot.press("enter")  # Cancel has the focus: a stray Enter marks nothing
        await until(pilot, lambda: not isinstance(console.screen, ConfirmDialog), what="cancelled")
        assert console.current is not None and console.current["state"] == "called"
        await pilot.press("f4")
        await until(pilot, lambda: isinstance(console.screen, ConfirmDialog), what="the question")
        await pilot.click("#ok")
        await until(pilot, lambda: console.current is None, what="the no-show")
    with services.db.read() as session:
        state = session.scalars(select(Ticket.state).where(Ticket.number == number)).one()
    assert state == "no_show"

    for lang, says in (("zh", "已过号"), ("en", "Missed")):
        async with running_kiosk(server.url, printer, clock, token=kiosk_token, lang=lang) as (
            app,
            pilot,
        ):
            await loaded(app, pilot)
            await until(pilot, lambda: app.appointments, what="the check-in button")
            await check_in(app, pilot, booking.code)
            await until(pilot, lambda: isinstance(app.screen, TicketStateScreen), what="the state")
            await until(pilot, lambda says=says: says in screen_text(app), what="its state")
            text = screen_text(app)
            assert number in text
            assert ("不打印小票" if lang == "zh" else "No receipt") in text
            assert len(transport.jobs) == printed_before  # nothing printed for a dead number
