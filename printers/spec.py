"""`--printer` on the command line: preview | dummy | network:HOST[:PORT] | usb:VID:PID |
file:PATH | serial:DEVICE[:BAUD] | cups:NAME, then options after commas:
`profile=NAME` (python-escpos capabilities), `dots=N` (printable width), `mode=raster|native`.

    --printer serial:/dev/ttyS0:9600,mode=native
    --printer network:192.168.1.50,profile=TM-T88V
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from printers import PrinterConfig

DEFAULT_PREVIEW_FOLDER = "var/receipts"


class BadPrinterSpec(ValueError):
    pass


OPTIONS = ("profile", "dots", "mode")


def parse_printer(spec: str, *, width_mm: int = 80) -> PrinterConfig:
    where, *options = spec.split(",")
    kind, _, rest = where.partition(":")
    try:
        config = _parse(kind, rest)
        return replace(config, width_mm=width_mm, **_options(options))
    except ValueError as exc:
        raise BadPrinterSpec(f"--printer {spec!r}: {exc}") from exc


def _options(options: list[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for option in options:
        name, sep, value = option.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or name not in OPTIONS or not value:
            raise ValueError(
                f"options are {', '.join(o + '=...' for o in OPTIONS)}, not {option!r}"
            )
        if name in found:
            raise ValueError(f"{name} given twice")
        if name == "dots" and not value.isdigit():
            raise ValueError(f"dots must be a whole number, not {value!r}")
        found[name] = int(value) if name == "dots" else value
    return found


def _parse(kind: str, rest: str) -> PrinterConfig:
    if kind == "preview":
        return PrinterConfig(kind="preview", folder=rest or DEFAULT_PREVIEW_FOLDER)
    if kind == "dummy" and not rest:
        return PrinterConfig(kind="dummy")
    if kind == "network":
        host, _, port = rest.partition(":")
        return PrinterConfig(kind="network", host=host or None, port=int(port) if port else 9100)
    if kind == "usb":
        vendor, _, product = rest.partition(":")
        if not vendor or not product:
            raise ValueError("expected usb:VENDOR:PRODUCT in hex, e.g. usb:0416:5011")
        return PrinterConfig(kind="usb", vendor_id=int(vendor, 16), product_id=int(product, 16))
    if kind == "file":
        return PrinterConfig(kind="file", path=rest or None)
    if kind == "serial":
        device, _, baud = rest.rpartition(":")
        if not baud.isdigit():
            device, baud = rest, ""
        return PrinterConfig(
            kind="serial", device=device or None, baudrate=int(baud) if baud else 9600
        )
    if kind == "cups":
        return PrinterConfig(kind="cups", printer_name=rest or None)
    raise ValueError(
        "expected preview[:FOLDER], dummy, network:HOST[:PORT], usb:VID:PID, file:PATH, "
        "serial:DEVICE[:BAUD] or cups:NAME"
    )
