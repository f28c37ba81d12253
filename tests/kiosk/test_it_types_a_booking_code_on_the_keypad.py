"""A kiosk without a keyboard: the booking code is typed on the on-screen keypad, into the
field the visitor touched last (the phone field takes digits only)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.widgets import Input

from kiosk.screens.checkin import CheckInScreen
from kiosk.screens.ticket import TicketScreen
from printers import PrintWorker
from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from queue_server.services.bookings import BookingRequest
from tests.bookings.helpers import booking_hall, person
from tests.kiosk.conftest import loaded, running_kiosk, tap, until
from tests.support.factories import local, make_services
from tests.support.live_server import LiveServer

pytestmark = pytest.mark.usefixtures("cjk_fonts")


@pytest.fixture
def services(sqlite_url: str, clock: ManualClock) -> Iterator[Services]:
    built = make_services(sqlite_url, booking_hall(), clock=clock)
    yield built
    built.db.engine.dispose()


async def test_it_types_a_booking_code_on_the_keypad(
    server: LiveServer,
    services: Services,
    printer: PrintWorker,
    clock: ManualClock,
    kiosk_token: str,
) -> None:
    visitor = person(41)
    booking = services.bookings.book(
        "test", BookingRequest("SOC", local(2026, 11, 26, 10, 0), **visitor)
    )
    clock.set(local(2026, 11, 26, 9, 50))
    async with running_kiosk(server.url, printer, clock, token=kiosk_token) as (app, pilot):
        await loaded(app, pilot)
        await until(pilot, lambda: app.appointments, what="the check-in button")
        await tap(pilot, "#checkin")
        await until(pilot, lambda: isinstance(app.screen, CheckInScreen), what="check-in")
        screen = app.screen
        assert isinstance(screen, CheckInScreen)
        code = screen.query_one("#checkin-code", Input)
        phone = screen.query_one("#checkin-phone", Input)

        for key in ["Q", "back", *booking.code]:
            await tap(pilot, f"#key-{key}")
        await until(pilot, lambda: code.value == booking.code, what="the code typed")

        await tap(pilot, "#checkin-phone")
        await until(pilot, lambda: screen.field == "checkin-phone", what="the phone field")
        for key in ["A", *visitor["phone"]]:  # a letter does nothing in the phone field
            await tap(pilot, f"#key-{key}")
        await until(pilot, lambda: phone.value == visitor["phone"], what="the phone typed")
        assert code.value == booking.code

        await tap(pilot, "#checkin-go")
        await until(pilot, lambda: isinstance(app.screen, TicketScreen), what="the ticket")
        ticket = app.screen
        assert isinstance(ticket, TicketScreen)
        assert ticket.ticket.priority == "appointment"
