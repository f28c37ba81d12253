"""Double taps, and answers lost on the way back, still give the visitor exactly one ticket."""

from __future__ import annotations

import pytest
from textual.widgets import Button

from kiosk.screens.guide import GuideScreen
from kiosk.screens.ticket import TicketScreen
from printers import PrintWorker
from printers.transports import DummyTransport
from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from tests.kiosk.conftest import loaded, running_kiosk, tap, tickets, until
from tests.support.cut_proxy import CutProxy
from tests.support.live_server import LiveServer

pytestmark = pytest.mark.usefixtures("cjk_fonts")


@pytest.mark.parametrize("how", ["double click", "presses queued before handling"])
async def test_it_issues_one_ticket_on_double_tap(
    how: str,
    server: LiveServer,
    services: Services,
    printer: PrintWorker,
    transport: DummyTransport,
    clock: ManualClock,
    kiosk_token: str,
) -> None:
    async with running_kiosk(server.url, printer, clock, token=kiosk_token) as (app, pilot):
        await loaded(app, pilot)
        await tap(pilot, "#svc-SOC", times=2)
        await until(pilot, lambda: isinstance(app.screen, GuideScreen), what="the guide")
        await pilot.pause(0.1)
        assert len(app.screen_stack) == 2  # home and one guide

        if how == "double click":
            await tap(pilot, "#take", times=2)
        else:
            take = app.screen.query_one("#take", Button)
            take.press()
            take.press()
        await until(pilot, lambda: isinstance(app.screen, TicketScreen), what="the ticket")
        await until(pilot, lambda: len(transport.jobs) >= 1, what="the receipt")
        await pilot.pause(0.3)

    assert [t.number for t in tickets(services)] == ["A001"]
    assert len(transport.jobs) == 1


async def test_it_gets_the_same_ticket_back_when_the_answer_is_lost(
    server: LiveServer,
    services: Services,
    printer: PrintWorker,
    transport: DummyTransport,
    clock: ManualClock,
    kiosk_token: str,
) -> None:
    proxy = CutProxy(server.port)
    proxy.lose_next_answer(b"/tickets")
    try:
        async with running_kiosk(proxy.url, printer, clock, token=kiosk_token) as (app, pilot):
            await loaded(app, pilot)
            await tap(pilot, "#svc-TAX")
            await until(pilot, lambda: isinstance(app.screen, GuideScreen), what="the guide")
            await tap(pilot, "#take")
            await until(pilot, lambda: isinstance(app.screen, TicketScreen), what="the ticket")
            screen = app.screen
            assert isinstance(screen, TicketScreen)
            shown = screen.ticket.number
            await until(pilot, lambda: len(transport.jobs) == 1, what="the receipt")
    finally:
        proxy.close()

    assert proxy.lost == 1  # the first answer never reached the kiosk...
    [ticket] = tickets(services)  # ...yet the retry, with the same key, made no second ticket
    assert ticket.number == shown == "B001"
