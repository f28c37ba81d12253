"""`hallq console`: the clerk console of one window, in this terminal."""

from __future__ import annotations

import argparse
import sys


def cmd_console(args: argparse.Namespace) -> int:
    from hallq_client import HallqClient
    from window_display.console import ClerkConsole
    from window_display.terminal import run_until_stopped

    printer = None
    if args.printer:
        from datetime import UTC, datetime

        from printers import PrintWorker
        from printers.spec import BadPrinterSpec, parse_printer

        try:
            config = parse_printer(args.printer, width_mm=args.paper)
        except BadPrinterSpec as exc:
            print(exc, file=sys.stderr)
            return 2
        printer = PrintWorker.from_config(config, clock=lambda: datetime.now(UTC))
    client = HallqClient(args.server, args.hall)
    try:
        run_until_stopped(ClerkConsole(client, args.window, printer=printer))
    finally:
        if printer is not None:
            printer.close()
    return 0


def add_console_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    console = sub.add_parser("console", help="the clerk console of one window (log in, call)")
    console.add_argument("--server", default="http://127.0.0.1:8000", help="queue server URL")
    console.add_argument("--hall", default="demo", help="hall id")
    console.add_argument("--window", type=int, required=True, help="window number")
    console.add_argument(
        "--printer",
        help="the window's receipt printer for notice slips (same forms as `hallq kiosk "
        "--printer`, e.g. network:192.168.1.50); none: notices are recorded, not printed",
    )
    console.add_argument("--paper", type=int, choices=(58, 80), default=80, help="paper width mm")
    console.set_defaults(func=cmd_console)
