"""A receipt that did not come out can be reprinted from its own ticket screen, while the
visitor is there; home never offers it, so the next visitor tapping where 预约签到 always is
gets check-in, not the previous visitor's receipt."""

from __future__ import annotations

import pytest

from kiosk.screens.guide import GuideScreen
from kiosk.screens.home import HomeScreen
from kiosk.screens.ticket import TicketScreen
from printers import PrintWorker, TransportError
from printers.transports import DummyTransport
from queue_server.domain.clock import ManualClock
from tests.kiosk.conftest import loaded, running_kiosk, screen_text, tap, until
from tests.support.live_server import LiveServer

pytestmark = pytest.mark.usefixtures("cjk_fonts")


async def test_it_offers_a_reprint_only_on_the_tickets_own_screen(
    server: LiveServer,
    printer: PrintWorker,
    transport: DummyTransport,
    clock: ManualClock,
    kiosk_token: str,
) -> None:
    async with running_kiosk(server.url, printer, clock, token=kiosk_token) as (app, pilot):
        await loaded(app, pilot)
        home_buttons = sorted(b.id or "" for b in app.screen.query("Button") if b.display)

        transport.fail_with = TransportError("paper jam")
        await tap(pilot, "#svc-TAX")
        await until(pilot, lambda: isinstance(app.screen, GuideScreen), what="the guide")
        await tap(pilot, "#take")
        await until(pilot, lambda: isinstance(app.screen, TicketScreen), what="the ticket")
        ticket = app.screen
        assert isinstance(ticket, TicketScreen)
        await until(pilot, lambda: ticket.print_state == "failed", what="the failed job")
        await until(pilot, lambda: bool(ticket.query_one("#reprint").display), what="reprint")
        assert "补打小票" in screen_text(app)

        transport.fail_with = None
        await tap(pilot, "#reprint")
        await until(pilot, lambda: len(transport.jobs) == 1, what="the reprint")
        assert transport.rendered[-1].title == ticket.ticket.number

        # The visitor leaves: home looks exactly as it did before the failed print.
        await tap(pilot, "#done")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), what="home")
        await pilot.pause(0.1)
        assert sorted(b.id or "" for b in app.screen.query("Button") if b.display) == home_buttons
        assert "补打" not in screen_text(app)
