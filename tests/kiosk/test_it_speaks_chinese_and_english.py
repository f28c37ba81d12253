"""Chinese by default, English one tap away, on every screen."""

from __future__ import annotations

import pytest

from kiosk.screens.guide import GuideScreen
from printers import PrintWorker
from queue_server.domain.clock import ManualClock
from tests.kiosk.conftest import loaded, running_kiosk, screen_text, tap, until
from tests.support.live_server import LiveServer

pytestmark = pytest.mark.usefixtures("cjk_fonts")


async def test_it_speaks_chinese_and_english(
    server: LiveServer,
    printer: PrintWorker,
    clock: ManualClock,
    kiosk_token: str,
) -> None:
    async with running_kiosk(server.url, printer, clock, token=kiosk_token) as (app, pilot):
        await loaded(app, pilot)
        home = screen_text(app)
        assert "请选择您要办理的业务" in home and "社保" in home and "English" in home
        assert "2026年11月25日 星期三  10:00" in home

        await tap(pilot, "#lang")
        await pilot.pause(0.1)
        home = screen_text(app)
        assert "Please choose a service" in home and "Social insurance" in home
        assert "Wed 25 Nov 2026  10:00" in home and "中文" in home

        await tap(pilot, "#svc-SOC")
        await until(pilot, lambda: isinstance(app.screen, GuideScreen), what="the guide")
        assert "Required materials" in screen_text(app) and "ID card" in screen_text(app)
        await tap(pilot, "#lang")
        await pilot.pause(0.1)
        assert "所需材料" in screen_text(app) and "身份证" in screen_text(app)
