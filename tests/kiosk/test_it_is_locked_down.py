"""No key leaves the kiosk or opens anything a visitor should not see."""

from __future__ import annotations

import pytest

from kiosk.app import KioskApp
from kiosk.screens.home import HomeScreen
from printers import PrintWorker
from queue_server.domain.clock import ManualClock
from tests.kiosk.conftest import loaded, running_kiosk
from tests.support.live_server import LiveServer

pytestmark = pytest.mark.usefixtures("cjk_fonts")


async def test_it_is_locked_down(
    server: LiveServer,
    printer: PrintWorker,
    clock: ManualClock,
    kiosk_token: str,
) -> None:
    assert KioskApp.ENABLE_COMMAND_PALETTE is False
    async with running_kiosk(server.url, printer, clock, token=kiosk_token) as (app, pilot):
        await loaded(app, pilot)
        await pilot.press("ctrl+q", "ctrl+c", "ctrl+p", "escape", "ctrl+backslash", "f1")
        await pilot.pause(0.2)
        assert app.is_running
        assert app.return_code is None
        assert isinstance(app.screen, HomeScreen)
        assert len(app.screen_stack) == 1
