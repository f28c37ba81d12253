"""A receipt that does not print leaves a valid ticket: number and QR code on screen,
the fault reported to the server, and a reprint possible once the printer is back."""

from __future__ import annotations

import pytest

from kiosk.qr import qr_lines
from kiosk.screens.guide import GuideScreen
from kiosk.screens.home import HomeScreen
from kiosk.screens.ticket import TicketScreen
from kiosk.widgets import QrCode
from printers import PrintWorker, TransportError
from printers.transports import DummyTransport
from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from tests.kiosk.conftest import events, loaded, running_kiosk, screen_text, tap, tickets, until
from tests.support.live_server import LiveServer

pytestmark = pytest.mark.usefixtures("cjk_fonts")


async def test_it_shows_the_number_and_a_qr_code_when_printing_fails(
    server: LiveServer,
    services: Services,
    printer: PrintWorker,
    transport: DummyTransport,
    clock: ManualClock,
    kiosk_token: str,
) -> None:
    transport.fail_with = TransportError("paper jam")
    async with running_kiosk(server.url, printer, clock, token=kiosk_token) as (app, pilot):
        await loaded(app, pilot)
        await tap(pilot, "#svc-SOC")
        await until(pilot, lambda: isinstance(app.screen, GuideScreen), what="the guide")
        await tap(pilot, "#take")
        await until(pilot, lambda: isinstance(app.screen, TicketScreen), what="the ticket")
        screen = app.screen
        assert isinstance(screen, TicketScreen)
        await until(pilot, lambda: screen.print_state == "failed", what="the failure")
        await pilot.pause(0.1)

        [ticket] = tickets(services)
        text = screen_text(app)
        assert "小票未能打印" in text and "请记下您的号码" in text
        assert screen.query_one("#big-number").display
        qr = screen.query_one("#qr", QrCode)
        assert qr.display
        assert qr.data == f"https://hall.example.gov.cn/t/{ticket.id}"
        assert str(qr.render()).splitlines() == qr_lines(qr.data)

        await until(pilot, lambda: bool(events(services, "device.status")), what="the report")
        [fault] = [e for e in events(services, "device.status") if "fault" in e.payload]
        assert fault.device_id == "kiosk-1"
        assert fault.payload["ticket"] == "A001"
        assert "paper jam" in fault.payload["fault"]

        transport.fail_with = None  # the duty lead cleared the jam
        await tap(pilot, "#reprint")
        await until(pilot, lambda: len(transport.jobs) == 1, what="the reprint")
        await until(pilot, lambda: screen.print_state == "printed", what="printed")
        assert transport.rendered[-1].title == "A001"

        await tap(pilot, "#done")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), what="home")
    assert len(tickets(services)) == 1
