"""The receipt that did not come out can be reprinted from home for a while; one that
printed is never offered again to the next visitor."""

from __future__ import annotations

import pytest

from kiosk.screens.guide import GuideScreen
from kiosk.screens.home import HomeScreen
from kiosk.screens.ticket import TicketScreen
from printers import PrintWorker, TransportError
from printers.transports import DummyTransport
from queue_server.domain.clock import ManualClock
from tests.kiosk.conftest import loaded, running_kiosk, tap, until
from tests.support.live_server import LiveServer

pytestmark = pytest.mark.usefixtures("cjk_fonts")


async def test_it_reprints_an_unprinted_receipt_from_home(
    server: LiveServer,
    printer: PrintWorker,
    transport: DummyTransport,
    clock: ManualClock,
    kiosk_token: str,
) -> None:
    async with running_kiosk(server.url, printer, clock, token=kiosk_token) as (app, pilot):
        await loaded(app, pilot)

        async def take(service: str) -> TicketScreen:
            await tap(pilot, f"#svc-{service}")
            await until(pilot, lambda: isinstance(app.screen, GuideScreen), what="the guide")
            await tap(pilot, "#take")
            await until(pilot, lambda: isinstance(app.screen, TicketScreen), what="the ticket")
            screen = app.screen
            assert isinstance(screen, TicketScreen)
            await until(pilot, lambda: screen.print_state != "printing", what="the job")
            return screen

        def offered() -> bool:
            return bool(app.screen.query_one("#reprint-last").display)

        assert (await take("SOC")).print_state == "printed"
        await tap(pilot, "#done")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), what="home")
        await pilot.pause(0.1)
        assert not offered()

        transport.fail_with = TransportError("paper jam")
        assert (await take("TAX")).print_state == "failed"
        await tap(pilot, "#done")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), what="home")
        await until(pilot, offered, what="the reprint button")

        transport.fail_with = None
        await tap(pilot, "#reprint-last")
        await until(pilot, lambda: len(transport.jobs) == 2, what="the reprint")
        assert transport.rendered[-1].title == "B001"
        await until(pilot, lambda: not offered(), what="the button to go")
