"""`hallq kiosk` and `hallq receipt preview` (imports stay inside the commands: fast CLI)."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

DEFAULT_SERVER = "http://127.0.0.1:8000"
DEFAULT_LOG = "var/kiosk.log"
# A typical raster receipt by paper width (docs/benchmarks.md), for the slow-line warning.
RASTER_RECEIPT_BYTES = {58: 42_000, 80: 62_000}


def cmd_kiosk(args: argparse.Namespace) -> int:
    from hallq_client import HallqClient
    from kiosk.app import KioskApp, system_clock
    from kiosk.settings import KioskSettings
    from printers import PrintWorker
    from printers.profiles import slow_line_warning
    from printers.spec import BadPrinterSpec, parse_printer

    try:
        config = parse_printer(args.printer, width_mm=args.paper)
    except BadPrinterSpec as exc:
        print(exc, file=sys.stderr)
        return 2
    # The screen belongs to the visitor: logs go to a file. force=True because
    # python-escpos installs a stderr handler when imported, which would draw on the screen.
    log_file = Path(args.log_file)
    log_file.parent.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(
        filename=log_file,
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
        force=True,
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)  # not one line per request
    settings = KioskSettings(
        server=args.server,
        hall=args.hall,
        device=args.device,
        lang=args.lang,
        public_url=args.public_url,
        id_reader=args.id_reader or None,
        handle_sigterm=True,
        voice=args.voice,
    )
    printer = PrintWorker.from_config(config, clock=system_clock)
    slow = slow_line_warning(config.kind, config.baudrate, config.mode,
                             RASTER_RECEIPT_BYTES[config.width_mm])
    if slow:
        print(f"warning: {slow}", file=sys.stderr)
        logging.getLogger("hallq.kiosk").warning(slow)
    client = HallqClient(args.server, args.hall, token=args.token)
    app = KioskApp(settings, client, printer)
    try:
        app.run()
    finally:
        printer.close()
    return 0


def cmd_receipt_preview(args: argparse.Namespace) -> int:
    from kiosk.receipts import sample_receipt
    from printers import FontNotFound, write_receipt_png

    try:
        path = write_receipt_png(sample_receipt(args.lang), args.out, width_mm=args.width)
    except FontNotFound as exc:
        print(f"cannot draw Chinese: {exc}", file=sys.stderr)
        return 1
    print(path)
    return 0


def add_kiosk_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    kiosk = sub.add_parser("kiosk", help="run the visitor kiosk in this terminal")
    kiosk.add_argument("--server", default=DEFAULT_SERVER, help=f"default {DEFAULT_SERVER}")
    kiosk.add_argument("--hall", default="demo", help="hall id (default demo)")
    kiosk.add_argument("--device", default="kiosk-1", help="this kiosk's name in the event log")
    kiosk.add_argument(
        "--printer",
        default="preview",
        help="preview[:FOLDER] (PNGs in var/receipts, default) | dummy | network:HOST[:PORT] | "
        "usb:VID:PID | file:/dev/usb/lp0 | serial:DEVICE[:BAUD] | cups:NAME",
    )
    kiosk.add_argument("--paper", type=int, choices=(58, 80), default=80, help="paper width mm")
    kiosk.add_argument("--lang", choices=("zh", "en"), default="zh")
    kiosk.add_argument("--public-url", help="server address for visitors' phones (QR codes)")
    kiosk.add_argument("--log-file", default=DEFAULT_LOG)
    kiosk.add_argument(
        "--voice",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="spoken prompts with espeak-ng (default: on where a sound device exists)",
    )
    kiosk.add_argument(
        "--id-reader",
        default=os.environ.get("HALLQ_ID_READER"),
        help="serial port of a GA 467 ID card reader, e.g. /dev/ttyUSB0 (env HALLQ_ID_READER); "
        "keyboard-wedge readers need nothing",
    )
    kiosk.add_argument(
        "--token",
        default=os.environ.get("HALLQ_DEVICE_TOKEN"),
        help="this kiosk's device token, if the server asks for one (env HALLQ_DEVICE_TOKEN)",
    )
    kiosk.set_defaults(func=cmd_kiosk)

    receipt = sub.add_parser("receipt", help="receipts")
    receipt_sub = receipt.add_subparsers(dest="receipt_command", required=True)
    preview = receipt_sub.add_parser("preview", help="write a PNG of a sample receipt")
    preview.add_argument("--out", required=True, help="PNG file to write")
    preview.add_argument("--width", type=int, choices=(58, 80), default=80, help="paper mm")
    preview.add_argument("--lang", choices=("zh", "en"), default="zh")
    preview.set_defaults(func=cmd_receipt_preview)
