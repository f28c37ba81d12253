"""Paper running out, the cover opened or silence after the data in the middle of a receipt:
the visitor keeps the number on screen with a reprint on that ticket's screen (never "take
your receipt"), the duty lead gets one alert per fault episode with its start and its
recovery, and the reprint is marked 补打 with the people ahead as they are now.

A printer emulator on loopback TCP and behind a pty pair read at 9600 baud, in native
GB18030 mode so the test reads the receipts back as text."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kiosk.screens.guide import GuideScreen
from kiosk.screens.home import HomeScreen
from kiosk.screens.ticket import TicketScreen
from kiosk.texts import t
from printers import PrintWorker
from printers.transports import NetworkTransport, SerialTransport, Transport
from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from queue_server.services.alerts import AlertService
from tests.kiosk.conftest import events, loaded, running_kiosk, screen_text, tap, until
from tests.support.auth import clerk_at
from tests.support.escpos_printer import EmulatedPrinter, Fault, PtyPrinter, TcpPrinter
from tests.support.live_server import LiveServer

pytestmark = pytest.mark.usefixtures("cjk_fonts")
JOB = 20.0  # a failed job waits out the print time for the printer's answer


@pytest.fixture(params=["tcp", "pty-9600"])
def emulated(request: pytest.FixtureRequest) -> Iterator[tuple[EmulatedPrinter, Transport]]:
    printer = EmulatedPrinter()
    if request.param == "tcp":
        server = TcpPrinter(printer)
        yield printer, NetworkTransport("127.0.0.1", server.port, io_timeout=3)
    else:
        server = PtyPrinter(printer, 9600)
        yield printer, SerialTransport(server.device, 9600, io_timeout=3)
    server.close()


@pytest.fixture
def line_printer(
    emulated: tuple[EmulatedPrinter, Transport], clock: ManualClock
) -> Iterator[PrintWorker]:
    worker = PrintWorker(
        emulated[1], clock=clock.now, mode="native", job_timeout=10, status_timeout=0.5
    )
    yield worker
    worker.close()


@pytest.mark.parametrize(
    ("fault", "rule"),
    [
        ("paper_end", "printer_paper_out"),
        ("cover_open", "printer_offline"),
        ("silent", "printer_fault"),
    ],
)
async def test_a_fault_mid_job_leaves_the_number_with_a_reprint(
    server: LiveServer,
    services: Services,
    line_printer: PrintWorker,
    emulated: tuple[EmulatedPrinter, Transport],
    clock: ManualClock,
    kiosk_token: str,
    fault: Fault,
    rule: str,
) -> None:
    printer = emulated[0]
    alerts = AlertService(services.db, services.halls, services.clock)
    async with running_kiosk(server.url, line_printer, clock, token=kiosk_token) as (app, pilot):
        await loaded(app, pilot)

        async def take() -> TicketScreen:
            await tap(pilot, "#svc-SOC")
            await until(pilot, lambda: isinstance(app.screen, GuideScreen), what="the guide")
            await tap(pilot, "#take")
            await until(pilot, lambda: isinstance(app.screen, TicketScreen), what="the ticket")
            screen = app.screen
            assert isinstance(screen, TicketScreen)
            await until(
                pilot, lambda: screen.print_state != "printing", timeout=JOB, what="the job"
            )
            return screen

        first = await take()  # A001, printed fine: ahead of the next visitor
        assert first.print_state == "printed"
        await tap(pilot, "#done")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), what="home")

        printer.fault, printer.fault_after = fault, 300
        screen = await take()  # A002: the printer fails in the middle
        assert screen.print_state == "failed"
        text = screen_text(app)
        assert "小票未能打印" in text and "请记下您的号码" in text
        assert t("printed", "zh") not in text  # never "请取走小票" for a failed job
        assert screen.query_one("#reprint").display
        await until(
            pilot,
            lambda: any("fault" in e.payload for e in events(services, "device.status")),
            what="the fault report",
        )
        alerts.evaluate("test")
        [raised] = [a for a in alerts.today("test") if a.rule == rule]
        assert raised.cleared_at is None and raised.device == "kiosk-1"

        clerk_at(services, 1)
        called = services.queue.call_next("test", 1)  # A001 is called: nobody ahead now
        assert called is not None and called.number == "A001"
        printer.repair()
        await tap(pilot, "#reprint")
        await until(pilot, lambda: screen.print_state == "printed", timeout=JOB, what="the reprint")
        reprinted = printer.jobs[-1].text
        assert "A002" in reprinted
        assert any("补打" in line for line in reprinted)
        assert any("前面等候" in line and "0 人" in line for line in reprinted)

        def recovered() -> bool:
            alerts.evaluate("test")
            [row] = [a for a in alerts.today("test") if a.rule == rule]
            return row.cleared_at is not None

        await until(pilot, recovered, what="the recovery on the alert")
    rows = [a for a in alerts.today("test") if a.rule.startswith("printer_")]
    assert [a.rule for a in rows] == [rule], "one alert for the one episode"
