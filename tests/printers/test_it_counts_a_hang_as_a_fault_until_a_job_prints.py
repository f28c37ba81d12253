"""A printer that stops taking data in the middle of a job (a hang, a jam) is in "fault"
until it prints again or answers "ok"; one that is not there at all is "offline"."""

from __future__ import annotations

from typing import Any

from printers.fonts import FontSet
from printers.transports import DummyTransport, PrinterUnreachable, TransportError
from printers.worker import PrintWorker


def test_a_hang_is_a_fault_until_the_next_job_prints(
    receipt_with: Any, fonts: FontSet, clock: Any
) -> None:
    transport = DummyTransport(replies={})  # a printer that never answers status
    worker = PrintWorker(transport, clock=clock, width_mm=58, fonts=fonts, status_timeout=0.2)
    try:
        transport.fail_with = TransportError("network 10.0.0.9:9100: printer stopped accepting")
        hung = worker.submit(receipt_with(number="A001")).result(timeout=30)
        assert not hung.ok
        assert hung.status is not None and hung.status.state == "fault"
        assert worker.poll_status().state == "fault"  # silence does not end it
        transport.fail_with = None
        printed = worker.submit(receipt_with(number="A002")).result(timeout=30)
    finally:
        worker.close()
    assert printed.ok
    assert printed.status is not None and printed.status.state != "fault"
    assert worker.last_status is not None and worker.last_status.state != "fault"


def test_a_printer_that_is_not_there_is_offline(
    receipt_with: Any, fonts: FontSet, clock: Any
) -> None:
    transport = DummyTransport(replies={}, fail_with=PrinterUnreachable("refused"))
    worker = PrintWorker(transport, clock=clock, width_mm=58, fonts=fonts, status_timeout=0.2)
    try:
        result = worker.submit(receipt_with()).result(timeout=30)
    finally:
        worker.close()
    assert not result.ok
    assert result.status is not None and result.status.state == "offline"
