"""A serial printer at the default 9600 baud prints a whole receipt, raster or native.

The line is a pty pair read at 960 bytes a second (10 bits a byte), so the job takes its
real time: a raster receipt needs far longer than the old fixed 10 s, a native one about a
second.
"""

from __future__ import annotations

import time
from typing import Any

from printers.fonts import FontSet
from printers.layout import escpos_bytes, layout, render
from printers.native import native_bytes
from printers.profiles import paper_for_printer
from printers.transports import SerialTransport
from printers.worker import PrintWorker
from tests.support.escpos_printer import EmulatedPrinter

BAUD = 9600
BYTES_PER_S = BAUD / 10


def test_a_raster_receipt_completes_at_its_line_time(
    pty_printer: Any, receipt_with: Any, fonts: FontSet, clock: Any
) -> None:
    printer = EmulatedPrinter()
    line = pty_printer(printer, BAUD)
    receipt = receipt_with(number="A001")
    data = escpos_bytes(render(receipt, 58, fonts))
    assert len(data) / BYTES_PER_S > 10  # the old fixed limit could never have fit it
    worker = PrintWorker(
        SerialTransport(line.device, BAUD, io_timeout=5),
        clock=clock,
        width_mm=58,
        fonts=fonts,
        job_timeout=5,
        status_timeout=1,
    )
    try:
        started = time.monotonic()
        result = worker.submit(receipt).result(timeout=len(data) / BYTES_PER_S * 2 + 20)
        elapsed = time.monotonic() - started
    finally:
        worker.close()
    assert result.ok, result.reason
    assert result.size == len(data)
    assert elapsed >= len(data) / BYTES_PER_S * 0.9  # the line really was this slow
    assert printer.raw_jobs == [data]
    assert printer.jobs[0].cuts == 1


def test_a_native_receipt_takes_about_a_second(
    pty_printer: Any, receipt_with: Any, clock: Any
) -> None:
    printer = EmulatedPrinter()
    line = pty_printer(printer, BAUD)
    receipt = receipt_with(number="A002")
    native = native_bytes(layout(receipt), paper_for_printer(58))
    assert len(native.data) < 2048
    worker = PrintWorker(
        SerialTransport(line.device, BAUD, io_timeout=5),
        clock=clock,
        width_mm=58,
        mode="native",
        job_timeout=5,
        status_timeout=1,
    )
    try:
        started = time.monotonic()
        result = worker.submit(receipt).result(timeout=30)
        elapsed = time.monotonic() - started
    finally:
        worker.close()
    assert result.ok, result.reason
    assert elapsed >= len(native.data) / BYTES_PER_S * 0.9
    assert printer.raw_jobs == [native.data]
    assert "A002" in printer.jobs[0].text
    assert "不动产登记" in printer.jobs[0].text
