"""`hallq bookings import FILE`: bookings taken elsewhere, from CSV or iCalendar.

All or nothing: a bad file is rejected with every problem by line number and nothing is
written; importing the same file again changes nothing.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from hallq.cli.common import NO_HALL_FILE, hall_paths, open_database
from hallq.cli.options import fail
from queue_server.composition import HallFiles
from queue_server.config import ConfigError, load_hall_configs
from queue_server.domain.errors import RuleViolation
from queue_server.services.bookings.importing import ImportRejected, parse_bookings_file


def cmd_import(args: argparse.Namespace) -> int:
    paths = hall_paths(args.config)
    if not paths:
        return fail(NO_HALL_FILE, 2)
    try:
        halls = load_hall_configs(paths)
    except ConfigError as exc:
        return fail(f"configuration error: {exc}", 2)
    path = Path(args.file)
    fmt = args.format or path.suffix.lower().lstrip(".")
    if fmt not in ("csv", "ics"):
        return fail(f"{path}: say --format csv or --format ics", 2)
    try:
        content = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return fail(f"{path}: cannot read it: {exc}", 2)
    # As the server opens it: migrated, the hall files applied as the baseline.
    services = open_database(args.database, halls, migrate=True, hall_files=HallFiles.APPLY)
    try:
        rows = parse_bookings_file(content, fmt)
        created, unchanged = services.bookings.import_rows(args.hall, rows)
    except ImportRejected as exc:
        lines = [f"{path}: rejected, nothing was imported:"]
        lines += [f"  line {line}: {problem}" for line, problem in exc.problems]
        return fail("\n".join(lines), 1)
    except RuleViolation as exc:
        return fail(f"error: {exc.message}", 1)
    finally:
        services.close()
    print(f"{path}: {created} booking(s) imported, {unchanged} already there (unchanged)")
    return 0
