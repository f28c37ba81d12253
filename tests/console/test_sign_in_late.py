"""Logging in at 09:12 signs the clerk in to the window late by 12 minutes; the console
shows it, the event log records it and the window display's snapshot shows the clerk."""

from __future__ import annotations

from sqlalchemy import select

from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from queue_server.storage.tables import Event
from tests.console.conftest import clerk, log_in, message, running_console, text, until
from tests.support.auth import PASSWORD
from tests.support.factories import local
from tests.support.live_server import LiveServer
from window_display.console_dialogs import LoginDialog


async def test_sign_in_late(server: LiveServer, services: Services, clock: ManualClock) -> None:
    staff_no = clerk(services, "1009", "张伟")
    clock.set(local(2026, 11, 25, 9, 12))
    async with running_console(server.url, 3) as (app, pilot):
        await log_in(app, pilot, staff_no, "wrong password")
        await until(pilot, lambda: isinstance(app.screen, LoginDialog) and "wrong" in str(
            app.screen.query_one("#dialog-error").render()), "the refusal")  # fmt: skip
        await log_in(app, pilot, staff_no, PASSWORD)
        await until(pilot, lambda: app.signed_in, "sign-in")
        assert "迟到 12 分钟" in message(app)
        assert "张伟 工号 1009" in text(app, "clerk")
        snapshot = await app.client.snapshot()
        assert snapshot["windows"][2]["clerk"] == {"name": "张伟", "staff_no": "1009"}
    with services.db.read() as session:
        event = session.scalars(select(Event).where(Event.kind == "clerk.signed_in")).one()
    assert (event.window_no, event.payload["attendance"], event.payload["minutes_late"]) == (
        3, "late", 12,
    )  # fmt: skip
