"""呼叫帮助 is on every screen; it reaches the duty lead once, and says so plainly."""

from __future__ import annotations

import pytest

from kiosk.screens.guide import GuideScreen
from kiosk.screens.help import HelpScreen
from kiosk.screens.ticket import TicketScreen
from printers import PrintWorker
from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from tests.kiosk.conftest import events, loaded, running_kiosk, screen_text, tap, until
from tests.support.live_server import LiveServer

pytestmark = pytest.mark.usefixtures("cjk_fonts")


async def test_it_calls_for_help_from_every_screen(
    server: LiveServer,
    services: Services,
    printer: PrintWorker,
    clock: ManualClock,
    kiosk_token: str,
) -> None:
    async with running_kiosk(
        server.url, printer, clock, token=kiosk_token, help_repeat_after=0.0
    ) as (app, pilot):
        await loaded(app, pilot)

        async def ask_for_help() -> None:
            await tap(pilot, "#help")
            await until(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
            await until(pilot, lambda: app.help_state == "called", what="help called")
            await pilot.pause(0.05)
            assert "已通知工作人员" in screen_text(app)
            await tap(pilot, "#help-close")
            await until(pilot, lambda: not isinstance(app.screen, HelpScreen), what="closed")

        await ask_for_help()
        await tap(pilot, "#svc-SOC")
        await until(pilot, lambda: isinstance(app.screen, GuideScreen), what="the guide")
        await ask_for_help()
        await tap(pilot, "#take")
        await until(pilot, lambda: isinstance(app.screen, TicketScreen), what="the ticket")
        await ask_for_help()

    calls = events(services, "help.requested")
    assert [e.payload["screen"] for e in calls] == ["home", "guide", "ticket"]
    assert calls[2].payload["ticket"] == "A001"
    assert {e.device_id for e in calls} == {"kiosk-1"}


async def test_it_alerts_the_duty_lead_once_for_repeated_taps(
    server: LiveServer,
    services: Services,
    printer: PrintWorker,
    clock: ManualClock,
    kiosk_token: str,
) -> None:
    async with running_kiosk(server.url, printer, clock, token=kiosk_token) as (app, pilot):
        await loaded(app, pilot)
        await tap(pilot, "#help", times=2)
        await until(pilot, lambda: app.help_state == "called", what="help called")
        await tap(pilot, "#help-close")
        await until(pilot, lambda: not isinstance(app.screen, HelpScreen), what="closed")
        await tap(pilot, "#help")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), what="help again")
        await pilot.pause(0.1)
        assert "已通知工作人员" in screen_text(app)
    assert len(events(services, "help.requested")) == 1


async def test_it_says_plainly_when_help_cannot_be_called(
    server: LiveServer,
    services: Services,
    printer: PrintWorker,
    clock: ManualClock,
    kiosk_token: str,
) -> None:
    async with running_kiosk(server.url, printer, clock, token=kiosk_token) as (app, pilot):
        await loaded(app, pilot)
        await server.astop()
        await tap(pilot, "#help")
        await until(pilot, lambda: app.help_state == "failed", what="help failed")
        await pilot.pause(0.05)
        assert "请到咨询台" in screen_text(app)
        await tap(pilot, "#help-close")
        await until(pilot, lambda: not isinstance(app.screen, HelpScreen), what="closed")
