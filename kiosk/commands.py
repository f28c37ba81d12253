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
    from kiosk.printer_spec import BadPrinterSpec, parse_printer
    from kiosk.settings import KioskSettings
    from printers import PrintWorker
    from printers.profiles import slow_line_warning

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
        offline_journal=args.offline_journal or None,
        offline_patience=args.offline_patience,
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


def cmd_kiosk_reconcile(args: argparse.Namespace) -> int:
    import asyncio
    import getpass

    from hallq_client import ApiError, HallqClient, ServerUnreachable
    from kiosk.offline import read_journal

    try:
        journal = read_journal(Path(args.journal))
    except (OSError, ValueError) as exc:
        print(f"cannot read the journal: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # sqlite3.DatabaseError: not a journal file
        print(f"{args.journal} is not a kiosk journal: {exc}", file=sys.stderr)
        return 2
    hall, device = args.hall or journal.hall, args.device or journal.device
    if not hall or not device:
        print("the journal does not say its hall and kiosk: give --hall and --device",
              file=sys.stderr)  # fmt: skip
        return 2
    if not journal.entries:
        print(f"{device}: the journal is empty, nothing to reconcile")
        return 0

    async def upload() -> list[dict[str, object]]:
        async with HallqClient(args.server, hall, token=args.token) as client:
            if not args.token:
                if not args.staff_no:
                    raise ValueError("give --token (or HALLQ_TOKEN) or --staff-no")
                await client.login(args.staff_no, getpass.getpass("password: "))
            done: list[dict[str, object]] = []
            for start in range(0, len(journal.entries), 100):
                done += await client.upload_journal(device, journal.entries[start : start + 100])
            return done

    try:
        answers = asyncio.run(upload())
    except (ApiError, ServerUnreachable, ValueError) as exc:
        print(f"not reconciled: {exc}", file=sys.stderr)
        return 1
    new = [a for a in answers if not a["replayed"]]
    print(f"{device}: {len(answers)} tickets in the journal, {len(new)} reconciled now, "
          f"{len(answers) - len(new)} already there")  # fmt: skip
    for answer in new:
        print(f"  {answer['number']}")
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
    kiosk.add_argument(
        "--offline-journal",
        default=os.environ.get("HALLQ_KIOSK_JOURNAL"),
        help="keep issuing from leased numbers when the server is out of reach, with this "
        "journal file, e.g. /var/lib/hallq/kiosk-journal.sqlite (env HALLQ_KIOSK_JOURNAL; "
        "default: off, the kiosk waits for the server)",
    )
    kiosk.add_argument(
        "--offline-patience",
        type=float,
        default=10.0,
        help="seconds a visitor waits for the server before an offline number (default 10)",
    )
    kiosk.set_defaults(func=cmd_kiosk)
    kiosk_sub = kiosk.add_subparsers(dest="kiosk_command")
    reconcile = kiosk_sub.add_parser(
        "reconcile",
        help="upload a kiosk's offline journal by hand (the duty lead, e.g. from a USB stick)",
    )
    reconcile.add_argument("--journal", required=True, help="the kiosk's journal SQLite file")
    reconcile.add_argument("--server", default=DEFAULT_SERVER, help=f"default {DEFAULT_SERVER}")
    reconcile.add_argument("--hall", help="default: the hall written in the journal")
    reconcile.add_argument("--device", help="default: the kiosk written in the journal")
    reconcile.add_argument(
        "--token",
        default=os.environ.get("HALLQ_TOKEN"),
        help="the duty lead's token (env HALLQ_TOKEN); else --staff-no and a password prompt",
    )
    reconcile.add_argument("--staff-no", help="log in as this duty lead")
    reconcile.set_defaults(func=cmd_kiosk_reconcile)

    receipt = sub.add_parser("receipt", help="receipts")
    receipt_sub = receipt.add_subparsers(dest="receipt_command", required=True)
    preview = receipt_sub.add_parser("preview", help="write a PNG of a sample receipt")
    preview.add_argument("--out", required=True, help="PNG file to write")
    preview.add_argument("--width", type=int, choices=(58, 80), default=80, help="paper mm")
    preview.add_argument("--lang", choices=("zh", "en"), default="zh")
    preview.set_defaults(func=cmd_receipt_preview)
