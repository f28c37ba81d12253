"""Transport configuration and the transports that need no hardware."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest

from printers.fonts import FontSet
from printers.layout import escpos_bytes, render
from printers.status import poll_status
from printers.transports import (
    CupsTransport,
    DummyTransport,
    FileTransport,
    NetworkTransport,
    PreviewTransport,
    PrinterConfig,
    SerialTransport,
    TransportError,
    UsbTransport,
    make_transport,
)


@pytest.mark.parametrize(
    ("settings", "kind"),
    [
        ({"kind": "usb", "vendor_id": "0x0416", "product_id": "0x5011"}, UsbTransport),
        ({"kind": "serial", "device": "/dev/ttyS0", "baudrate": 19200}, SerialTransport),
        ({"kind": "network", "host": "192.0.2.10"}, NetworkTransport),
        ({"kind": "file", "path": "/dev/usb/lp0"}, FileTransport),
        ({"kind": "cups", "printer_name": "kiosk"}, CupsTransport),
        ({"kind": "dummy"}, DummyTransport),
        ({}, PreviewTransport),
    ],
)
def test_config_makes_the_transport(settings: dict[str, Any], kind: type) -> None:
    assert isinstance(make_transport(PrinterConfig.from_mapping(settings)), kind)


def test_usb_ids_may_be_hex_strings() -> None:
    config = PrinterConfig.from_mapping({"kind": "usb", "vendor_id": "0x0416", "product_id": 20497})
    assert (config.vendor_id, config.product_id) == (0x0416, 0x5011)
    assert make_transport(config).describe() == "usb 0416:5011"


@pytest.mark.parametrize(
    "settings",
    [
        {"kind": "network"},
        {"kind": "usb", "vendor_id": 1},
        {"kind": "laser"},
        {"kind": "dummy", "width_mm": 72},
        {"kind": "dummy", "job_timeout": 0},
        {"kind": "dummy", "colour": "red"},
    ],
)
def test_bad_config_is_refused(settings: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        PrinterConfig.from_mapping(settings)


def test_file_transport_appends_each_job(tmp_path: Path) -> None:
    path = tmp_path / "lp0"
    transport = FileTransport(str(path), io_timeout=1)
    transport.send_bytes(b"one")
    transport.send_bytes(b"two")
    assert path.read_bytes() == b"onetwo"


def test_file_transport_missing_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(TransportError):
        FileTransport(str(tmp_path / "no" / "lp0")).send_bytes(b"x")


def test_cups_transport_pipes_the_raw_job_to_lp(
    tmp_path: Path, receipt_with: Any, fonts: FontSet
) -> None:
    spool = tmp_path / "spool.bin"
    args = tmp_path / "args.txt"
    lp = tmp_path / "lp"
    lp.write_text(f'#!/bin/sh\necho "$@" > {args}\ncat > {spool}\n')
    lp.chmod(lp.stat().st_mode | stat.S_IEXEC)
    rendered = render(receipt_with(), 58, fonts)
    CupsTransport("kiosk", io_timeout=5, lp=str(lp)).send(rendered)
    assert spool.read_bytes() == escpos_bytes(rendered)
    assert args.read_text().split() == ["-d", "kiosk", "-o", "raw"]


def test_cups_failure_and_missing_lp_are_errors(tmp_path: Path) -> None:
    lp = tmp_path / "lp"
    lp.write_text("#!/bin/sh\necho 'lp: The printer or class does not exist.' >&2\nexit 1\n")
    lp.chmod(0o755)
    with pytest.raises(TransportError, match="does not exist"):
        CupsTransport("nope", lp=str(lp)).send_bytes(b"x")
    with pytest.raises(TransportError, match="not found"):
        CupsTransport("kiosk", lp=str(tmp_path / "missing")).send_bytes(b"x")


def test_cups_status_reads_lpstat(tmp_path: Path) -> None:
    lpstat = tmp_path / "lpstat"
    lpstat.write_text('#!/bin/sh\necho "printer kiosk disabled since Mon - paused"\n')
    lpstat.chmod(0o755)
    assert poll_status(CupsTransport("kiosk", lpstat=str(lpstat)), 2).state == "offline"
    lpstat.write_text('#!/bin/sh\necho "printer kiosk is idle.  enabled since Mon"\n')
    assert poll_status(CupsTransport("kiosk", lpstat=str(lpstat)), 2).state == "unknown"


def test_preview_transport_numbers_files_after_existing_ones(
    tmp_path: Path, receipt_with: Any, fonts: FontSet
) -> None:
    (tmp_path / "0041-A001.png").write_bytes(b"")
    transport = PreviewTransport(tmp_path)
    transport.send(render(receipt_with(number="B002"), 80, fonts))
    assert transport.last_path == tmp_path / "0042-B002.png"
    assert os.path.getsize(transport.last_path) > 0


def test_preview_transport_takes_no_raw_bytes(tmp_path: Path) -> None:
    with pytest.raises(TransportError):
        PreviewTransport(tmp_path).send_bytes(b"\x1b@")


def test_usb_without_device_or_backend_is_a_transport_error() -> None:
    with pytest.raises(TransportError):
        UsbTransport(0xFFFF, 0xFFFF, io_timeout=0.5).send_bytes(b"x")
