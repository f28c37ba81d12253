"""A printer that answers status queries with ok, paper low, paper out, offline, or nothing;
and one that is not even plugged in. What the visitor sees, what the duty lead is told."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kiosk.screens.guide import GuideScreen
from kiosk.screens.ticket import TicketScreen
from printers import PrintWorker
from printers.transports import DummyTransport, NetworkTransport, Transport
from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from tests.kiosk.conftest import REPLIES, events, loaded, running_kiosk, screen_text, tap, until
from tests.support.live_server import LiveServer, free_port

pytestmark = pytest.mark.usefixtures("cjk_fonts")

# mode -> (state reported to the server, receipt printed?)
CASES = {
    "ok": ("ok", True),
    "paper_low": ("paper_low", True),
    "paper_out": ("paper_out", False),
    "offline": ("offline", False),
    "silent": ("unknown", True),  # no answer is not a fault: try to print
    "unplugged": ("offline", False),
}


@pytest.fixture(params=list(CASES))
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def status_printer(mode: str) -> Transport:
    if mode == "unplugged":  # nothing listens on this port: connection refused
        return NetworkTransport("127.0.0.1", free_port(), io_timeout=1.0)
    return DummyTransport(REPLIES[mode])


@pytest.fixture
def worker(status_printer: Transport, clock: ManualClock) -> Iterator[PrintWorker]:
    worker = PrintWorker(status_printer, clock=clock.now, job_timeout=5.0, status_timeout=0.5)
    yield worker
    worker.close()


async def test_it_follows_what_the_printer_says_about_itself(
    mode: str,
    server: LiveServer,
    services: Services,
    status_printer: Transport,
    worker: PrintWorker,
    clock: ManualClock,
    kiosk_token: str,
) -> None:
    state, prints = CASES[mode]
    async with running_kiosk(server.url, worker, clock, token=kiosk_token) as (app, pilot):
        await loaded(app, pilot)
        await until(pilot, lambda: app.printer_state == state, what=f"printer {state}")
        await until(pilot, lambda: bool(events(services, "device.status")), what="the report")
        first = events(services, "device.status")[0]
        assert first.payload["printer"]["state"] == state
        assert first.device_id == "kiosk-1"
        await pilot.pause(0.1)
        assert ("打印机暂停服务" in screen_text(app)) is (not prints)

        await tap(pilot, "#svc-SOC")
        await until(pilot, lambda: isinstance(app.screen, GuideScreen), what="the guide")
        await tap(pilot, "#take")
        await until(pilot, lambda: isinstance(app.screen, TicketScreen), what="the ticket")
        screen = app.screen
        assert isinstance(screen, TicketScreen)
        await until(pilot, lambda: screen.print_state != "printing", what="the print job")
        assert screen.print_state == ("printed" if prints else "failed")
        assert screen.query_one("#qr").display is (not prints)
        if isinstance(status_printer, DummyTransport):
            assert len(status_printer.jobs) == (1 if prints else 0)
        if not prints:
            await until(
                pilot,
                lambda: any("fault" in e.payload for e in events(services, "device.status")),
                what="the fault report",
            )
