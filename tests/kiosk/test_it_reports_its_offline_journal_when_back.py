"""A kiosk back from an outage tells the server how many tickets it issued offline and since
when it was cut off, and tells it again once its journal upload has reconciled them."""

from __future__ import annotations

from datetime import datetime, timedelta

from hallq_client import HallqClient
from kiosk.reporting import DeviceReporter
from printers import PrinterStatus
from queue_server.api.app import create_app
from queue_server.api.deps import Services
from queue_server.domain.access import DeviceKind
from queue_server.domain.clock import ManualClock
from tests.kiosk.conftest import events
from tests.support.auth import device_token
from tests.support.live_server import LiveServer


async def test_it_reports_its_offline_journal_when_back(
    server: LiveServer, services: Services, clock: ManualClock
) -> None:
    token = device_token(services, DeviceKind.KIOSK, name="kiosk-8")
    client = HallqClient(server.url, "test", token=token)
    reporter = DeviceReporter(client, "kiosk-8", heartbeat_every=600)
    journal: tuple[int, int, datetime | None] = (0, 0, None)
    reporter.journal = lambda: journal
    reporter.printer_status(PrinterStatus("ok", ""))
    await server.astop()
    cut_at = clock.now().replace(microsecond=0)  # the kiosk lost the server then...
    clock.advance(timedelta(minutes=7))  # ...and is back seven minutes later
    journal = (3, 0, cut_at)
    assert await reporter.flush() is False

    back = LiveServer(create_app(services), server.port).start()
    try:
        assert await reporter.flush() is True
        journal = (0, 0, None)  # the upload went through
        assert reporter.pending == 1
        assert await reporter.flush() is True
        assert await reporter.flush() is True  # nothing new: nothing sent
    finally:
        await back.astop()
        await client.aclose()

    reports = [e.payload["offline"] for e in events(services, "device.status")]
    assert reports == [
        {"pending": 3, "refused": 0, "since": cut_at.isoformat()},
        {"pending": 0, "refused": 0, "since": None},
    ]
