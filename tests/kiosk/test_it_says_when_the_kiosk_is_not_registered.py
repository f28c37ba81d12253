"""Without a valid kiosk token the server takes no numbers from it: say so, offer nothing."""

from __future__ import annotations

import pytest

from kiosk.screens.guide import GuideScreen
from printers import PrintWorker
from queue_server.domain.clock import ManualClock
from tests.kiosk.conftest import loaded, running_kiosk, screen_text, tap, until
from tests.support.live_server import LiveServer

pytestmark = pytest.mark.usefixtures("cjk_fonts")


async def test_it_says_when_the_kiosk_has_no_token(
    server: LiveServer, printer: PrintWorker, clock: ManualClock
) -> None:
    async with running_kiosk(server.url, printer, clock, token=None) as (app, pilot):
        await loaded(app, pilot)  # the hall and its services are public
        await until(pilot, lambda: app.registered is False, what="the refusal")
        await pilot.pause(0.05)
        assert "本机未在服务器登记" in screen_text(app)
        await tap(pilot, "#svc-SOC")
        await until(pilot, lambda: isinstance(app.screen, GuideScreen), what="the guide")
        await pilot.pause(0.05)
        assert app.screen.query_one("#take").disabled


async def test_it_says_when_the_kiosk_token_is_refused(
    server: LiveServer, printer: PrintWorker, clock: ManualClock
) -> None:
    async with running_kiosk(server.url, printer, clock, token="not-a-token") as (app, pilot):
        await until(pilot, lambda: app.registered is False, what="the refusal")
        await pilot.pause(0.05)
        text = screen_text(app)
        assert "本机未在服务器登记" in text
        assert "暂时无法连接服务器" not in text  # the server is there; the token is wrong
        assert not app.screen.query(".tile")
