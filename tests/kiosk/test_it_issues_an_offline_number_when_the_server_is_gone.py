"""The kiosk app with an offline journal: it leases numbers while the server answers; when the
server is gone a visitor still gets a number after the kiosk's patience, from the lease, with
a receipt marked offline and a screen that says the wait is unknown; when the server is back
the kiosk uploads the ticket by itself and it joins the queue with its real issue time."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.screens.guide import GuideScreen
from kiosk.screens.ticket import TicketScreen
from printers import PrintWorker
from printers.transports import DummyTransport
from queue_server.api.app import create_app
from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from tests.kiosk.conftest import loaded, running_kiosk, screen_text, tap, tickets, until
from tests.support.live_server import LiveServer

pytestmark = pytest.mark.usefixtures("cjk_fonts")


async def test_it_issues_an_offline_number_when_the_server_is_gone(
    server: LiveServer,
    services: Services,
    printer: PrintWorker,
    transport: DummyTransport,
    clock: ManualClock,
    kiosk_token: str,
    tmp_path: Path,
) -> None:
    journal = tmp_path / "journal.sqlite"
    async with running_kiosk(
        server.url,
        printer,
        clock,
        token=kiosk_token,
        offline_journal=str(journal),
        offline_patience=0.5,
    ) as (app, pilot):
        await loaded(app, pilot)
        issuer = app.offline_issuer
        assert issuer is not None
        await until(pilot, lambda: issuer.book.left("SOC", clock.now()) > 0, what="a lease")

        await server.astop()
        await tap(pilot, "#svc-SOC")
        await until(pilot, lambda: isinstance(app.screen, GuideScreen), what="the guide")
        await tap(pilot, "#take")
        await until(pilot, lambda: isinstance(app.screen, TicketScreen), what="the ticket")
        await until(pilot, lambda: len(transport.jobs) == 1, what="the receipt")
        await until(pilot, lambda: "离线取号" in screen_text(app), what="the offline note")
        screen = app.screen
        assert isinstance(screen, TicketScreen) and screen.ticket.offline
        number = screen.ticket.number
        assert "暂无法估计" in screen_text(app)
        assert tickets(services) == []  # nothing reached the server yet
        assert issuer.book.unreconciled() == 1

        back = LiveServer(create_app(services), server.port).start()
        try:
            await until(pilot, lambda: issuer.book.unreconciled() == 0, what="the upload")
        finally:
            await back.astop()

    [ticket] = tickets(services)
    assert ticket.number == number and ticket.id == screen.ticket.id
