"""One print worker (as the kiosk runs it) through a printer's bad day: unplugged between
jobs, back again, out of paper in the middle of a job, refilled. Every job ends with an
outcome, submitting never waits on the printer, and printing resumes after each fault.

Covered elsewhere: a printer stuck from the start (tests/printers/test_print_watchdog.py),
paper out before a job (tests/printers/test_print_worker.py), the kiosk showing the number
and a QR code when printing fails
(tests/kiosk/test_it_shows_the_number_and_a_qr_code_when_printing_fails.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from kiosk.receipts import sample_receipt
from printers.transports import NetworkTransport
from printers.worker import PrintWorker
from tests.reliability.flaky_printer import FlakyPrinter
from tests.support.factories import OPEN_MORNING

JOB_TIMEOUT = 1.5
OUTCOME = JOB_TIMEOUT + 5  # the watchdog's limit, plus slack for a busy machine


@pytest.fixture
def printer() -> Iterator[FlakyPrinter]:
    running = FlakyPrinter()
    yield running
    running.unplug()


def test_the_print_worker_recovers_from_printer_faults(printer: FlakyPrinter) -> None:
    transport = NetworkTransport("127.0.0.1", printer.port, io_timeout=30)
    worker = PrintWorker(
        transport, clock=lambda: OPEN_MORNING, job_timeout=JOB_TIMEOUT, status_timeout=0.5
    )
    receipt: Any = sample_receipt()
    try:
        assert worker.submit(receipt).result(timeout=OUTCOME).ok
        assert printer.printed(1) == 1

        printer.unplug()  # disconnected between jobs
        gone = worker.submit(receipt).result(timeout=OUTCOME)
        assert not gone.ok and "offline" in gone.reason

        printer.plug_in()  # back on the same address
        assert worker.submit(receipt).result(timeout=OUTCOME).ok
        assert printer.printed(2) == 2

        printer.jam_next_job = True  # paper runs out after the first kilobyte
        jammed = worker.submit(receipt)
        queued = worker.submit(receipt)  # the visitor behind is not held up by the jam
        assert not jammed.result(timeout=OUTCOME).ok
        assert worker.restarts == 1  # the watchdog replaced the stuck worker thread
        refused = queued.result(timeout=OUTCOME)
        assert not refused.ok and "paper" in refused.reason

        printer.paper = True  # refilled
        assert worker.submit(receipt).result(timeout=OUTCOME).ok
        assert printer.printed(3) == 3
    finally:
        worker.close(timeout=1)
