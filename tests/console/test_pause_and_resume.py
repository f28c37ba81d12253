"""F9 pauses the window with a reason (the display says why) and resumes it; a paused
window calls nobody and the console says why."""

from __future__ import annotations

from queue_server.api.deps import Services
from tests.console.conftest import (
    clerk,
    issue,
    message,
    press,
    running_console,
    signed_in,
    text,
    until,
)
from tests.support.live_server import LiveServer
from window_display.console_dialogs import PauseDialog


async def test_pause_and_resume(server: LiveServer, services: Services) -> None:
    staff_no = clerk(services)
    issue(services, "SOC")
    async with running_console(server.url, 1) as (app, pilot):
        await signed_in(app, pilot, staff_no)
        await press(app, pilot, "f9")
        await until(pilot, lambda: isinstance(app.screen, PauseDialog), "the pause dialog")
        await press(app, pilot, "3")  # 顶岗 backup cover
        assert app.window.paused
        assert app.window.pause_reason == "backup_cover"
        assert "顶岗" in text(app, "current")

        await press(app, pilot, "f1")
        assert "is paused (backup_cover)" in message(app)
        assert app.current is None

        await press(app, pilot, "f9")
        assert not app.window.paused
        assert "已恢复" in message(app)
        await press(app, pilot, "f1")
        assert app.current is not None and app.current["number"] == "A001"
        snapshot = await app.client.snapshot()
        assert snapshot["windows"][0]["state"] == "called"
