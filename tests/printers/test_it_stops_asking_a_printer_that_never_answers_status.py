"""A printer that never answers status queries costs the status timeout a couple of times,
then never again: the worker learns it and prints without asking."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from printers.fonts import FontSet
from printers.transports import DummyTransport, NetworkTransport, PrinterUnreachable
from printers.worker import SILENT_ROUNDS_TO_LEARN, PrintWorker
from tests.support.escpos_printer import EmulatedPrinter

STATUS_TIMEOUT = 1.0


def test_a_mute_printer_is_learned_once(
    tcp_printer: Any, receipt_with: Any, fonts: FontSet, clock: Any
) -> None:
    printer = EmulatedPrinter(answers_status=False)
    server = tcp_printer(printer)
    worker = PrintWorker(
        NetworkTransport("127.0.0.1", server.port, io_timeout=3),
        clock=clock,
        width_mm=58,
        fonts=fonts,
        job_timeout=20,
        status_timeout=STATUS_TIMEOUT,
    )
    try:
        for i in range(SILENT_ROUNDS_TO_LEARN):
            result = worker.submit(receipt_with(number=f"A{i:03d}")).result(timeout=30)
            assert result.ok, result.reason  # silence from a mute printer is not a fault
        assert worker.answers_status is False
        started = time.monotonic()
        last = worker.submit(receipt_with(number="A099")).result(timeout=30)
        elapsed = time.monotonic() - started
    finally:
        worker.close()
    assert last.ok
    assert last.status is None  # not asked
    assert elapsed < STATUS_TIMEOUT  # no status timeout paid for this receipt
    deadline = time.monotonic() + 5  # the last bytes land a moment after the send returns
    while len(printer.jobs) < SILENT_ROUNDS_TO_LEARN + 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(printer.jobs) == SILENT_ROUNDS_TO_LEARN + 1


def test_a_printer_that_answers_is_still_asked(
    tcp_printer: Any, receipt_with: Any, fonts: FontSet, clock: Any
) -> None:
    server = tcp_printer(EmulatedPrinter())
    worker = PrintWorker(
        NetworkTransport("127.0.0.1", server.port, io_timeout=3),
        clock=clock,
        width_mm=58,
        fonts=fonts,
        status_timeout=STATUS_TIMEOUT,
    )
    try:
        for i in range(SILENT_ROUNDS_TO_LEARN + 1):
            result = worker.submit(receipt_with(number=f"B{i:03d}")).result(timeout=30)
            assert result.ok and result.status is not None
    finally:
        worker.close()
    assert worker.answers_status is True


class SwitchedOffFirst(DummyTransport):
    """Refuses connections until switched on; then prints and never answers status."""

    def __init__(self) -> None:
        super().__init__(replies={})
        self.on = False

    def query(self, commands: Sequence[bytes], timeout: float) -> list[bytes | None]:
        if not self.on:
            raise PrinterUnreachable("connection refused")
        return super().query(commands, timeout)


def test_an_unreachable_printer_teaches_nothing(
    receipt_with: Any, fonts: FontSet, clock: Any
) -> None:
    transport = SwitchedOffFirst()
    worker = PrintWorker(transport, clock=clock, width_mm=58, fonts=fonts, status_timeout=0.2)
    try:
        assert worker.poll_status().state == "offline"  # not an answer from the printer
        assert worker.answers_status is None
        transport.on = True
        results = [
            worker.submit(receipt_with(number=f"C{i:03d}")).result(timeout=30)
            for i in range(SILENT_ROUNDS_TO_LEARN + 1)
        ]
    finally:
        worker.close()
    assert all(r.ok for r in results), [r.reason for r in results]
    assert worker.answers_status is False
