"""A reader that stops answering while a visitor is past the start screen (their card was
just read, they are choosing a service) does not cover what they are doing: the visitor
finishes, and "the reader does not answer" is said once the start screen is back. CI met
this as a one-poll timeout right after a good read, which pushed the message over the
services the visitor was about to tap."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kiosk.screens.home import HomeScreen
from kiosk.screens.idcard import CardProblemScreen, CardServicesScreen
from kiosk.screens.ticket import TicketScreen
from printers import PrintWorker
from printers.transports import DummyTransport
from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from tests.bookings.helpers import booking_hall, id_number
from tests.kiosk.conftest import loaded, running_kiosk, screen_text, tap, until
from tests.support.factories import local, make_services
from tests.support.idcard_reader import Card, PtyCardReader
from tests.support.live_server import LiveServer

pytestmark = pytest.mark.usefixtures("cjk_fonts")

ELDER = Card(id_number(71, born="19500307"), name="王老汉")


@pytest.fixture
def services(sqlite_url: str, clock: ManualClock) -> Iterator[Services]:
    built = make_services(sqlite_url, booking_hall(), clock=clock)
    yield built
    built.db.engine.dispose()


async def test_it_lets_the_visitor_finish_and_says_so_at_the_start_screen(
    server: LiveServer,
    services: Services,
    printer: PrintWorker,
    transport: DummyTransport,
    clock: ManualClock,
    kiosk_token: str,
    sim: PtyCardReader,
) -> None:
    clock.set(local(2026, 11, 26, 9, 45))
    reading = {"id_reader": sim.device, "id_reader_timeout": 0.3, "id_reader_poll_every": 0.05}
    async with running_kiosk(server.url, printer, clock, token=kiosk_token, **reading) as (
        app,
        pilot,
    ):
        await loaded(app, pilot)
        sim.place(ELDER)
        await until(pilot, lambda: isinstance(app.screen, CardServicesScreen), what="services")
        sim.go_silent()
        await until(pilot, lambda: app.card_reader_state == "silent", what="a silent poll")
        await pilot.pause(0.7)  # more unanswered polls
        assert isinstance(app.screen, CardServicesScreen), "the message covered the services"

        await tap(pilot, "#card-svc-SOC")
        await until(pilot, lambda: isinstance(app.screen, TicketScreen), what="the ticket")
        await until(pilot, lambda: len(transport.jobs) == 1, what="the receipt")
        await tap(pilot, "#done")

        await until(pilot, lambda: isinstance(app.screen, CardProblemScreen), what="message")
        assert "身份证阅读器没有响应" in screen_text(app)
        await tap(pilot, "#close")
        await pilot.pause(0.7)  # the reader is still silent: it was said once
        assert isinstance(app.screen, HomeScreen)

        # Answering again, then silent again: a new outage is said again.
        sim.answer_again()
        await until(pilot, lambda: app.card_reader_state == "ok", what="an answer")
        sim.go_silent()
        await until(pilot, lambda: isinstance(app.screen, CardProblemScreen), what="again")
