"""`hallq bookings import FILE`: bookings taken elsewhere, from CSV or iCalendar (issue 6).

All or nothing: a bad file is rejected with every problem by line number and nothing is
written; importing the same file again changes nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def cmd_bookings_import(args: argparse.Namespace) -> int:
    from queue_server.api.app import build_services
    from queue_server.config import ConfigError, load_hall_configs
    from queue_server.domain.errors import RuleViolation
    from queue_server.services.bookings.importing import ImportRejected, parse_bookings_file
    from queue_server.settings import Settings

    settings = Settings()
    paths = [str(p) for p in (args.config or settings.config_paths())]
    if not paths:
        print("no hall configuration given (--config FILE or HALLQ_CONFIG)", file=sys.stderr)
        return 2
    try:
        halls = load_hall_configs(paths)
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    path = Path(args.file)
    fmt = args.format or path.suffix.lower().lstrip(".")
    if fmt not in ("csv", "ics"):
        print(f"{path}: say --format csv or --format ics", file=sys.stderr)
        return 2
    try:
        content = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"{path}: cannot read it: {exc}", file=sys.stderr)
        return 2
    services = build_services(args.database or settings.database_url, halls)
    try:
        rows = parse_bookings_file(content, fmt)
        created, unchanged = services.bookings.import_rows(args.hall, rows)
    except ImportRejected as exc:
        print(f"{path}: rejected, nothing was imported:", file=sys.stderr)
        for line, problem in exc.problems:
            print(f"  line {line}: {problem}", file=sys.stderr)
        return 1
    except RuleViolation as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1
    finally:
        services.db.engine.dispose()
    print(f"{path}: {created} booking(s) imported, {unchanged} already there (unchanged)")
    return 0


def add_booking_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    bookings = sub.add_parser("bookings", help="online appointments")
    bookings_sub = bookings.add_subparsers(dest="bookings_command", required=True)
    imp = bookings_sub.add_parser("import", help="import bookings from a CSV or iCalendar file")
    imp.add_argument("file", help="a .csv or .ics file (see docs/appointments.md)")
    imp.add_argument("--hall", required=True, help="the hall the bookings are for")
    imp.add_argument("--format", choices=("csv", "ics"), help="default: from the file name")
    imp.add_argument("--config", action="append", help="hall TOML file (default: HALLQ_CONFIG)")
    imp.add_argument("--database", help="database URL (default: HALLQ_DATABASE_URL)")
    imp.set_defaults(func=cmd_bookings_import)
