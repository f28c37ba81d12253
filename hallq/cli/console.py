"""`hallq console`: the clerk console of one window, in this terminal."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from hallq.cli.options import fail
from hallq_client import HallqClient
from printers import PrintWorker
from printers.spec import BadPrinterSpec, parse_printer
from window_display.console import ClerkConsole
from window_display.terminal import run_until_stopped


def cmd_console(args: argparse.Namespace) -> int:
    printer = None
    if args.printer:
        try:
            config = parse_printer(args.printer, width_mm=args.paper)
        except BadPrinterSpec as exc:
            return fail(str(exc), 2)
        printer = PrintWorker.from_config(config, clock=lambda: datetime.now(UTC))
    client = HallqClient(args.server, args.hall)
    try:
        run_until_stopped(ClerkConsole(client, args.window, printer=printer))
    finally:
        if printer is not None:
            printer.close()
    return 0
