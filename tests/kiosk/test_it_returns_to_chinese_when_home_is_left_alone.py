"""A visitor who switched the home screen to English and walked away: after the stated idle
time (settings.home_lang_reset_after, 90 s by default) the next visitor meets Chinese."""

from __future__ import annotations

import pytest

from kiosk.screens.home import HomeScreen
from kiosk.settings import KioskSettings
from printers import PrintWorker
from queue_server.domain.clock import ManualClock
from tests.kiosk.conftest import loaded, running_kiosk, screen_text, tap, until
from tests.support.live_server import LiveServer

pytestmark = pytest.mark.usefixtures("cjk_fonts")


def test_the_default_idle_time_is_stated() -> None:
    assert KioskSettings(server="http://x", hall="h").home_lang_reset_after == 90.0


async def test_it_returns_to_chinese_when_home_is_left_alone(
    server: LiveServer, printer: PrintWorker, clock: ManualClock, kiosk_token: str
) -> None:
    async with running_kiosk(
        server.url, printer, clock, token=kiosk_token, home_lang_reset_after=1.5
    ) as (app, pilot):
        await loaded(app, pilot)
        await tap(pilot, "#lang")
        await until(pilot, lambda: app.lang == "en", what="English")
        assert "Please choose a service" in screen_text(app)
        await until(pilot, lambda: app.lang == "zh", what="Chinese again", timeout=8)
        assert isinstance(app.screen, HomeScreen)
        assert "请选择您要办理的业务" in screen_text(app)
