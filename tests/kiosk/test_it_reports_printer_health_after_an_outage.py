"""Printer faults and states wait in the kiosk while the server is away, then arrive once."""

from __future__ import annotations

from hallq_client import HallqClient
from kiosk.reporting import DeviceReporter
from printers import PrinterStatus
from queue_server.api.app import create_app
from queue_server.api.deps import Services
from queue_server.domain.access import DeviceKind
from tests.kiosk.conftest import events
from tests.support.auth import device_token
from tests.support.live_server import LiveServer


async def test_it_reports_printer_health_after_an_outage(
    server: LiveServer, services: Services
) -> None:
    token = device_token(services, DeviceKind.KIOSK, name="kiosk-9")
    client = HallqClient(server.url, "test", token=token)
    reporter = DeviceReporter(client, "kiosk-9", heartbeat_every=60)
    await server.astop()
    reporter.printer_status(PrinterStatus("paper_out", "roll paper end sensor"))
    reporter.fault("receipt not printed: paper out", ticket="A001", status=None)
    assert await reporter.flush() is False
    assert reporter.pending == 2

    back = LiveServer(create_app(services), server.port).start()
    try:
        assert await reporter.flush() is True
        assert reporter.pending == 0
        assert await reporter.flush() is True  # nothing new: nothing sent
    finally:
        await back.astop()
        await client.aclose()

    # The fault carried the state; the state report after it was no news to the server.
    [report] = events(services, "device.status")
    assert report.payload["fault"] == "receipt not printed: paper out"
    assert report.payload["printer"]["state"] == "paper_out"
    assert report.payload["ticket"] == "A001"
    assert report.device_id == "kiosk-9"
