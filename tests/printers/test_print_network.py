"""A network printer on loopback receives the whole job."""

from __future__ import annotations

import socket
import time
from typing import Any

import pytest

from printers.fonts import FontSet
from printers.layout import escpos_bytes, render
from printers.transports import NetworkTransport, PrinterUnreachable, TransportError

CUT = b"\x1dV\x00"


def test_network_printer_receives_the_whole_job(
    start_printer: Any, receipt_with: Any, fonts: FontSet
) -> None:
    printer = start_printer("ok")
    rendered = render(receipt_with(), 80, fonts)
    NetworkTransport("127.0.0.1", printer.port, io_timeout=5).send(rendered)
    assert printer.job_received.wait(5)
    assert printer.jobs == [escpos_bytes(rendered)]
    assert printer.jobs[0].endswith(CUT)


def test_each_job_uses_its_own_connection(
    start_printer: Any, receipt_with: Any, fonts: FontSet
) -> None:
    printer = start_printer("ok")
    transport = NetworkTransport("127.0.0.1", printer.port, io_timeout=5)
    for number in ("A001", "A002"):
        transport.send(render(receipt_with(number=number), 58, fonts))
    assert _wait_for(lambda: len(printer.jobs) == 2)
    assert [b"A001\n" in job for job in printer.jobs].count(True) == 1


def test_no_printer_listening_is_unreachable() -> None:
    with socket.socket() as placeholder:  # a port nobody listens on
        placeholder.bind(("127.0.0.1", 0))
        port = placeholder.getsockname()[1]
    with pytest.raises(PrinterUnreachable):
        NetworkTransport("127.0.0.1", port, io_timeout=1).send_bytes(b"\x1b@")


def test_a_printer_that_stops_reading_fails_the_send(
    start_printer: Any, receipt_with: Any, fonts: FontSet
) -> None:
    printer = start_printer("stuck")
    with pytest.raises(TransportError, match="stopped accepting"):
        NetworkTransport("127.0.0.1", printer.port, io_timeout=0.5).send(
            render(receipt_with(), 80, fonts)
        )


def _wait_for(cond: Any, timeout: float = 5.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.01)
    return False
