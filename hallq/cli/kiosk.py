"""`hallq kiosk`: the visitor kiosk in this terminal."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from hallq.cli.options import fail
from hallq.widgets.terminal_size import size_an_unsized_terminal
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
    if size_an_unsized_terminal():
        said = "the terminal reports no size; set to 80 x 24 until it is resized"
        print(f"warning: {said}", file=sys.stderr)
        logging.getLogger("hallq.kiosk").warning(said)
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
    refused = [a for a in answers if a.get("refused")]
    new = [a for a in answers if not a["replayed"] and not a.get("refused")]
    there = len(answers) - len(new) - len(refused)
    print(f"{device}: {len(answers)} tickets in the journal, {len(new)} reconciled now, "
          f"{there} already there, {len(refused)} refused")  # fmt: skip
    for answer in new:
        print(f"  {answer['number']}")
    if refused:
        # The visitor holds a receipt for each: serve them by hand (docs/kiosk.md).
        print("refused by the server (the visitor holds the receipt; serve them by hand):")
        for answer in refused:
            print(f"  {answer.get('number') or '?'}  {answer['refused']}: {answer.get('reason')}")
    if journal.unanswered:
        print(f"{len(journal.unanswered)} online requests never answered: a ticket nobody "
              "holds may wait under each until the kiosk comes back (docs/kiosk.md):")  # fmt: skip
        for hanging in journal.unanswered:
            print(f"  {hanging['service']} asked at {hanging['asked_at']} ({hanging['reason']})")
    return 1 if refused else 0
