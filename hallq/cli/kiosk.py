"""`hallq kiosk`: the visitor kiosk in this terminal."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from hallq.cli.options import fail
from hallq_client import HallqClient
from kiosk.app import KioskApp, system_clock
from kiosk.settings import KioskSettings
from printers import PrintWorker
from printers.profiles import slow_line_warning
from printers.spec import BadPrinterSpec, parse_printer

# A typical raster receipt by paper width (docs/benchmarks.md), for the slow-line warning.
RASTER_RECEIPT_BYTES = {58: 42_000, 80: 62_000}


def cmd_kiosk(args: argparse.Namespace) -> int:
    try:
        config = parse_printer(args.printer, width_mm=args.paper)
    except BadPrinterSpec as exc:
        return fail(str(exc), 2)
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
    slow = slow_line_warning(
        config.kind, config.baudrate, config.mode, RASTER_RECEIPT_BYTES[config.width_mm]
    )
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
