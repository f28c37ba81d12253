"""A job the printer took but did not finish is a failed job, with the printer's reason.

Paper running out in the middle, the cover opened, the cutter jamming and a printer that
goes silent after the data each fail that job (the kiosk then offers a reprint); a printer
that is fine again prints the next job. Loopback TCP and a 9600-baud pty line.
"""

from __future__ import annotations

from typing import Any

import pytest

from printers.fonts import FontSet
from printers.transports import NetworkTransport, SerialTransport
from printers.worker import PrintWorker
from tests.support.escpos_printer import EmulatedPrinter, Fault

CASES: list[tuple[Fault, str, str]] = [
    ("paper_end", "paper_out", "paper"),
    ("cover_open", "offline", "cover open"),
    ("cutter", "fault", "cutter error"),
    ("silent", "fault", "no answer after the data"),
]


def _worker(transport: Any, clock: Any, fonts: FontSet, **kw: Any) -> PrintWorker:
    return PrintWorker(
        transport, clock=clock, width_mm=58, fonts=fonts, job_timeout=10, status_timeout=0.5, **kw
    )


@pytest.mark.parametrize(("fault", "state", "words"), CASES)
def test_a_fault_during_a_network_job_fails_it(
    tcp_printer: Any,
    receipt_with: Any,
    fonts: FontSet,
    clock: Any,
    fault: Fault,
    state: str,
    words: str,
) -> None:
    printer = EmulatedPrinter(fault=fault, fault_after=2000)
    server = tcp_printer(printer)
    worker = _worker(NetworkTransport("127.0.0.1", server.port, io_timeout=3), clock, fonts)
    try:
        failed = worker.submit(receipt_with(number="A001")).result(timeout=30)
        assert not failed.ok
        assert failed.status is not None and failed.status.state == state
        assert words in failed.reason
        assert worker.last_status is not None and worker.last_status.state == state
        printer.repair()
        again = worker.submit(receipt_with(number="A002")).result(timeout=30)
    finally:
        worker.close()
    assert again.ok, again.reason
    assert "A002" in printer.jobs[-1].text


def test_paper_running_out_on_a_serial_line_fails_the_job(
    pty_printer: Any, receipt_with: Any, fonts: FontSet, clock: Any
) -> None:
    printer = EmulatedPrinter(fault="paper_end", fault_after=600)
    line = pty_printer(printer, 9600)
    worker = _worker(SerialTransport(line.device, 9600, io_timeout=3), clock, fonts, mode="native")
    receipt = receipt_with(number="A003", materials=[])
    try:
        result = worker.submit(receipt).result(timeout=120)
    finally:
        worker.close()
    assert not result.ok
    assert result.status is not None and result.status.state == "paper_out"


def test_a_good_job_reports_what_the_printer_said(
    tcp_printer: Any, receipt_with: Any, fonts: FontSet, clock: Any
) -> None:
    printer = EmulatedPrinter()
    server = tcp_printer(printer)
    worker = _worker(NetworkTransport("127.0.0.1", server.port, io_timeout=3), clock, fonts)
    try:
        result = worker.submit(receipt_with()).result(timeout=30)
    finally:
        worker.close()
    assert result.ok
    assert result.status is not None and result.status.state == "ok"
    assert len(printer.jobs) == 1 and printer.jobs[0].cuts == 1
