"""The whole visit: browse, read the guide, take a number, get the receipt, back home."""

from __future__ import annotations

import pytest

from kiosk.screens.guide import GuideScreen
from kiosk.screens.home import HomeScreen
from kiosk.screens.ticket import TicketScreen
from printers import PrintWorker
from printers.transports import DummyTransport
from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from tests.kiosk.conftest import loaded, running_kiosk, screen_text, tap, tickets, until
from tests.support.live_server import LiveServer

pytestmark = pytest.mark.usefixtures("cjk_fonts")


async def test_it_takes_a_number_and_prints_a_receipt(
    server: LiveServer,
    services: Services,
    printer: PrintWorker,
    transport: DummyTransport,
    clock: ManualClock,
    kiosk_token: str,
) -> None:
    async with running_kiosk(server.url, printer, clock, token=kiosk_token) as (app, pilot):
        await loaded(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "社保" in screen_text(app)

        await tap(pilot, "#svc-SOC")
        await until(pilot, lambda: isinstance(app.screen, GuideScreen), what="the guide")
        guide = screen_text(app)
        assert "身份证" in guide and "所需材料" in guide

        await tap(pilot, "#take")
        await until(pilot, lambda: isinstance(app.screen, TicketScreen), what="the ticket")
        await until(pilot, lambda: len(transport.jobs) == 1, what="the receipt")
        await until(pilot, lambda: "请取走小票" in screen_text(app), what="printed")

        [ticket] = tickets(services)
        assert ticket.number == "A001"
        shown = screen_text(app)
        assert "前面等候：0 人" in shown and "1号窗口、3号窗口" in shown
        assert transport.rendered[0].title == "A001"
        assert b"A001" in transport.jobs[0]

        await tap(pilot, "#done")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), what="home")
