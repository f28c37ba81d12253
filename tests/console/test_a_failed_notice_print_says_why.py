"""F10 on a window whose printer cannot be reached: the notice is recorded, and the console
says the slip failed and why (the job's reason), instead of failing itself."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from textual.widgets import Input, SelectionList

from printers import PrintWorker, default_fonts
from printers.fonts import FontNotFound
from printers.transports import DummyTransport, PrinterUnreachable
from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from queue_server.storage.tables import Event
from tests.conftest import need
from tests.console.conftest import clerk, issue, message, press, running_console, signed_in, until
from tests.support.live_server import LiveServer
from window_display.console_dialogs import NoticeDialog


@pytest.fixture
def unplugged(clock: ManualClock) -> Iterator[PrintWorker]:
    try:
        default_fonts()
    except FontNotFound as exc:
        need(False, f"no CJK font for slips ({exc}); install fonts-noto-cjk")
    transport = DummyTransport(fail_with=PrinterUnreachable("cable pulled"))
    worker = PrintWorker(transport, clock=clock.now, job_timeout=10.0, status_timeout=0.5)
    yield worker
    worker.close()


async def test_a_failed_print_is_reported_with_its_reason(
    server: LiveServer, services: Services, unplugged: PrintWorker
) -> None:
    staff_no = clerk(services)
    issue(services, "SOC")
    async with running_console(server.url, 1, printer=unplugged) as (app, pilot):
        await signed_in(app, pilot, staff_no)
        await press(app, pilot, "f1", "f3", "f10")
        await until(pilot, lambda: isinstance(app.screen, NoticeDialog), "the notice dialog")
        app.screen.query_one("#materials", SelectionList).select_all()
        app.screen.query_one("#note", Input).focus()
        await press(app, pilot, "enter")
        await until(pilot, lambda: "Printing failed" in message(app), "the failure to show")
        assert "cable pulled" in message(app)

    with services.db.read() as session:
        notices = session.scalar(
            select(func.count()).select_from(Event).where(Event.kind == "ticket.notice_given")
        )
    assert notices == 1
