"""Server unreachable: the kiosk says so, retries in the background, invents nothing."""

from __future__ import annotations

import pytest

from kiosk.screens.guide import GuideScreen
from kiosk.screens.home import HomeScreen
from kiosk.screens.taking import TakingScreen
from kiosk.screens.ticket import TicketScreen
from printers import PrintWorker
from printers.transports import DummyTransport
from queue_server.api.app import create_app
from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from tests.kiosk.conftest import loaded, running_kiosk, screen_text, tap, tickets, until
from tests.support.live_server import LiveServer, free_port

pytestmark = pytest.mark.usefixtures("cjk_fonts")


async def test_it_starts_before_the_server_and_connects_when_it_comes(
    services: Services,
    printer: PrintWorker,
    clock: ManualClock,
    kiosk_token: str,
) -> None:
    port = free_port()
    async with running_kiosk(f"http://127.0.0.1:{port}", printer, clock, token=kiosk_token) as (
        app,
        pilot,
    ):
        await until(pilot, lambda: app.online is False, what="offline")
        await pilot.pause(0.1)
        assert "暂时无法连接服务器" in screen_text(app)
        assert not app.screen.query("#svc-SOC")

        server = LiveServer(create_app(services), port).start()
        try:
            await loaded(app, pilot)
            assert "暂时无法连接服务器" not in screen_text(app)
            assert app.screen.query("#svc-SOC")
        finally:
            await server.astop()


async def test_it_retries_taking_a_number_until_the_server_is_back(
    server: LiveServer,
    services: Services,
    printer: PrintWorker,
    transport: DummyTransport,
    clock: ManualClock,
    kiosk_token: str,
) -> None:
    async with running_kiosk(server.url, printer, clock, token=kiosk_token) as (app, pilot):
        await loaded(app, pilot)
        await tap(pilot, "#svc-SOC")
        await until(pilot, lambda: isinstance(app.screen, GuideScreen), what="the guide")

        await server.astop()
        await tap(pilot, "#take")
        await until(pilot, lambda: isinstance(app.screen, TakingScreen), what="taking")
        taking = app.screen
        assert isinstance(taking, TakingScreen)
        await until(pilot, lambda: taking.attempts >= 3, what="three retries")
        text = screen_text(app)
        assert "暂时无法连接服务器" in text and "您还没有取到号码" in text
        assert transport.jobs == [] and tickets(services) == []

        back = LiveServer(create_app(services), server.port).start()
        try:
            await until(pilot, lambda: isinstance(app.screen, TicketScreen), what="the ticket")
            await until(pilot, lambda: len(transport.jobs) == 1, what="the receipt")
            # The screen is pushed before it is drawn: leaving now would close the app under
            # a screen still mounting (a loaded machine showed it).
            await until(pilot, lambda: bool(app.screen.query("#ticket-kind")), what="drawn")
        finally:
            await back.astop()

    [ticket] = tickets(services)
    assert ticket.number == "A001"


async def test_it_lets_the_visitor_give_up_while_the_server_is_away(
    server: LiveServer,
    services: Services,
    printer: PrintWorker,
    transport: DummyTransport,
    clock: ManualClock,
    kiosk_token: str,
) -> None:
    async with running_kiosk(server.url, printer, clock, token=kiosk_token) as (app, pilot):
        await loaded(app, pilot)
        await tap(pilot, "#svc-SOC")
        await until(pilot, lambda: isinstance(app.screen, GuideScreen), what="the guide")
        await server.astop()
        await tap(pilot, "#take")
        await until(pilot, lambda: isinstance(app.screen, TakingScreen), what="taking")
        await tap(pilot, "#taking-cancel")
        await until(pilot, lambda: isinstance(app.screen, GuideScreen), what="back to the guide")
        await tap(pilot, "#back")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), what="home")
        await pilot.pause(0.3)
        assert "暂时无法连接服务器" in screen_text(app)
    assert transport.jobs == [] and tickets(services) == []
