"""Printer status over DLE EOT: a fake network printer answers, or does not."""

from __future__ import annotations

import socket
import time
from pathlib import Path
from typing import Any

import pytest

from printers.status import PrinterStatus, interpret, poll_status
from printers.transports import (
    DummyTransport,
    FileTransport,
    NetworkTransport,
    PreviewTransport,
)


@pytest.mark.parametrize(
    ("mode", "state"),
    [("ok", "ok"), ("paper_low", "paper_low"), ("paper_out", "paper_out"), ("offline", "offline")],
)
def test_it_reports_what_the_printer_answers(start_printer: Any, mode: str, state: str) -> None:
    printer = start_printer(mode)
    status = poll_status(NetworkTransport("127.0.0.1", printer.port), timeout=2)
    assert status.state == state


def test_offline_detail_names_the_cause(start_printer: Any) -> None:
    printer = start_printer("offline")
    assert poll_status(NetworkTransport("127.0.0.1", printer.port), 2).detail == "cover open"


@pytest.mark.parametrize("mode", ["silent", "stuck"])
def test_no_answer_in_time_is_unknown_never_paper_out(start_printer: Any, mode: str) -> None:
    printer = start_printer(mode)
    started = time.monotonic()
    status = poll_status(NetworkTransport("127.0.0.1", printer.port), timeout=0.3)
    assert status.state == "unknown"
    assert time.monotonic() - started < 1.5


def test_nobody_listening_is_offline() -> None:
    with socket.socket() as placeholder:
        placeholder.bind(("127.0.0.1", 0))
        port = placeholder.getsockname()[1]
    assert poll_status(NetworkTransport("127.0.0.1", port), 0.5).state == "offline"


def test_transports_that_cannot_answer_are_unknown(tmp_path: Path) -> None:
    assert poll_status(FileTransport(str(tmp_path / "lp0")), 0.2).state == "unknown"


def test_preview_printer_is_always_ready(tmp_path: Path) -> None:
    assert poll_status(PreviewTransport(tmp_path), 0.2).state == "ok"


def test_dummy_transport_answers_with_given_bytes() -> None:
    transport = DummyTransport(replies={1: b"\x12", 2: b"\x12", 4: b"\x72"})
    assert poll_status(transport).state == "paper_out"


@pytest.mark.parametrize(
    ("printer", "cause", "paper", "state"),
    [
        (b"\x12", b"\x12", b"\x12", "ok"),
        (b"\x12", b"\x12", b"\x1e", "paper_low"),
        (b"\x12", b"\x12", b"\x16", "paper_low"),  # one near-end sensor bit is enough
        (b"\x1a", b"\x32", b"\x72", "paper_out"),
        (None, None, b"\x72", "paper_out"),
        (b"\x1a", b"\x32", None, "paper_out"),  # stopped because of paper end
        (b"\x1a", b"\x16", b"\x12", "offline"),
        (b"\x1a", None, None, "offline"),
        (None, None, None, "unknown"),
        (b"\x12", b"\x12", None, "unknown"),
        (b"\xff", b"\xff", b"\xff", "unknown"),  # garbage, not a status byte
        (b"", b"", b"", "unknown"),
    ],
)
def test_interpret_status_bytes(
    printer: bytes | None, cause: bytes | None, paper: bytes | None, state: str
) -> None:
    assert interpret(printer, cause, paper).state == state


def test_status_is_a_device_event() -> None:
    assert PrinterStatus("paper_low", "roll paper near end").as_event() == {
        "state": "paper_low",
        "detail": "roll paper near end",
    }
