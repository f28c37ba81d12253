"""F10 (一次性告知): the clerk ticks every missing material from the service's published list;
the notice is recorded on the ticket with a registration number and printed on the window's
printer as a 材料补齐通知书."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select
from textual.widgets import Input, SelectionList

from printers import NoticeSlip, PrintWorker, default_fonts
from printers.fonts import FontNotFound
from printers.transports import DummyTransport
from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from queue_server.storage.tables import Event
from tests.conftest import need
from tests.console.conftest import clerk, issue, message, press, running_console, signed_in, until
from tests.support.live_server import LiveServer
from window_display.console_dialogs import NoticeDialog


@pytest.fixture
def printer(clock: ManualClock) -> Iterator[tuple[PrintWorker, DummyTransport]]:
    try:
        default_fonts()
    except FontNotFound as exc:
        need(False, f"no CJK font for slips ({exc}); install fonts-noto-cjk")
    transport = DummyTransport()
    worker = PrintWorker(transport, clock=clock.now, job_timeout=10.0, status_timeout=0.5)
    yield worker, transport
    worker.close()


async def test_notice_is_printed_and_recorded(
    server: LiveServer, services: Services, printer: tuple[PrintWorker, DummyTransport]
) -> None:
    worker, transport = printer
    staff_no = clerk(services)
    issue(services, "SOC")
    async with running_console(server.url, 1, printer=worker) as (app, pilot):
        await signed_in(app, pilot, staff_no)
        await press(app, pilot, "f10")
        assert "No visitor" in message(app)
        await press(app, pilot, "f1", "f3", "f10")
        await until(pilot, lambda: isinstance(app.screen, NoticeDialog), "the notice dialog")
        materials = app.screen.query_one("#materials", SelectionList)
        materials.select_all()
        app.screen.query_one("#note", Input).value = "请携带原件"
        app.screen.query_one("#note", Input).focus()
        await press(app, pilot, "enter")
        await until(pilot, lambda: "告知书已打印" in message(app), "the slip to print")

    slip = worker.last_document()
    assert isinstance(slip, NoticeSlip)
    assert slip.missing_materials == ("身份证",)
    assert slip.number == "A001"
    assert slip.clerk_name == f"王芳（工号 {staff_no}）"
    assert slip.registration_no == "GZ20261125-001"
    assert slip.note == "请携带原件"
    assert len(transport.jobs) == 1
    with services.db.read() as session:
        event = session.scalars(select(Event).where(Event.kind == "ticket.notice_given")).one()
    assert event.payload["materials"] == ["身份证"]
    assert event.payload["registration_no"] == "GZ20261125-001"
