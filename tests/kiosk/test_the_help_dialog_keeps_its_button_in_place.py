"""The help dialog's 关闭 button stays where it is while the text above it changes (calling,
called, failed; Chinese or English), at every kiosk size: the answer from the server arrives
while a visitor may be reaching for the button, and a button that moves a row under the
finger is missed (a kiosk test tapping right after the first text caught it in CI)."""

from __future__ import annotations

import pytest
from textual.geometry import Region

from kiosk.screens.help import HelpScreen
from printers import PrintWorker
from queue_server.domain.clock import ManualClock
from tests.kiosk.conftest import loaded, running_kiosk, tap, until
from tests.support.live_server import LiveServer

pytestmark = pytest.mark.usefixtures("cjk_fonts")

# docs/devices.md: the kiosk's landscape and portrait panels and the minimums it must work on.
KIOSK_SIZES = [(137, 37), (77, 66), (100, 40), (80, 24)]


async def test_the_close_button_does_not_move_as_the_text_changes(
    server: LiveServer, printer: PrintWorker, clock: ManualClock, kiosk_token: str
) -> None:
    async with running_kiosk(server.url, printer, clock, token=kiosk_token) as (app, pilot):
        await loaded(app, pilot)
        await tap(pilot, "#help")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        await until(pilot, lambda: app.help_state == "called", what="help called")
        for size in KIOSK_SIZES:
            await pilot.resize_terminal(*size)
            for mode in ("elder", "plain"):
                app.mode = mode
                places: dict[tuple[str, str], Region] = {}
                for lang in ("zh", "en"):
                    app.lang = lang
                    for state in ("calling", "called", "failed"):
                        app.help_state = state
                        await pilot.pause()
                        await pilot.pause()
                        places[(lang, state)] = app.screen.query_one("#help-close").region
                assert len(set(places.values())) == 1, (size, mode, places)
