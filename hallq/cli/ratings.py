"""`hallq ratings deliver | export --month | reconcile --day`: 好差评 for the province.

`deliver` runs one round of what the server does by itself (collect, then deliver what is due);
`export` writes a month's records as JSON lines and CSV for provinces that take files;
`reconcile` writes a day's reconciliation file (docs/ratings.md).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

from hallq.cli.common import hall_paths, open_database
from queue_server.composition import Services
from queue_server.config import ConfigError, load_hall_configs
from queue_server.services.errors import NotFound
from queue_server.services.halls import HallContext, HallRegistry


def _open(args: argparse.Namespace) -> Services | None:
    paths = hall_paths(args.config)
    if not paths:
        print("no hall configuration given (--config FILE or HALLQ_CONFIG)", file=sys.stderr)
        return None
    try:
        halls = load_hall_configs(paths)
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return None
    return open_database(args.database, halls, migrate=True)


def _halls(registry: HallRegistry, hall: str | None) -> list[HallContext]:
    if hall is None:
        return list(registry.all())
    return [registry.get(hall)]


def cmd_deliver(args: argparse.Namespace) -> int:
    from queue_server.services.haocha import HaochaReporter

    opened = _open(args)
    if opened is None:
        return 2
    db, registry, clock = opened.db, opened.halls, opened.clock
    reporter = HaochaReporter(db, registry, clock)
    try:
        if not reporter.enabled_halls():
            print("no hall has [haocha] enabled = true; nothing to deliver", file=sys.stderr)
            return 1
        delivered = reporter.run_once()
        print(f"{delivered} 好差评 record(s) delivered")
        from queue_server.services.haocha import reporting_status

        for hall in reporter.enabled_halls():
            status = reporting_status(db, hall, clock.now())
            line = f"{hall.id}: {status.pending} pending"
            if status.last_error:
                line += f" (last error: {status.last_error})"
            print(line)
        return 0
    finally:
        reporter.close()
        db.engine.dispose()


def _each_hall(args: argparse.Namespace, write: Callable[[Services, HallContext], str]) -> int:
    """`export` and `reconcile`: open the database, write one hall's file(s) for each hall
    asked for, print what was written; a hall that is not configured is an error."""
    opened = _open(args)
    if opened is None:
        return 2
    try:
        for hall in _halls(opened.halls, args.hall):
            print(f"{hall.id}: {write(opened, hall)}")
        return 0
    except NotFound as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1
    finally:
        opened.db.engine.dispose()


def cmd_export(args: argparse.Namespace) -> int:
    from queue_server.domain import haocha
    from queue_server.domain.errors import RuleViolation
    from queue_server.domain.months import month_bounds
    from queue_server.services.haocha import mapping_of, month_records

    try:
        first, last = month_bounds(args.month)
    except RuleViolation as exc:
        print(f"--month: {exc.message}", file=sys.stderr)
        return 2
    out = Path(args.out)

    def write(opened: Services, hall: HallContext) -> str:
        out.mkdir(parents=True, exist_ok=True)
        rows = month_records(opened.db, hall, first, last)
        stem = out / f"haocha-{hall.id}-{args.month}"
        stem.with_suffix(".jsonl").write_text(haocha.json_lines(rows), "utf-8")
        csv_path = stem.with_suffix(".csv")
        # With a BOM: the province's clerks open it in Excel.
        csv_path.write_text(haocha.csv_text(rows, mapping_of(hall)), "utf-8-sig")
        return f"{len(rows)} record(s) -> {stem}.jsonl, {csv_path.name}"

    return _each_hall(args, write)


def cmd_reconcile(args: argparse.Namespace) -> int:
    from queue_server.services.haocha import write_reconciliation_file

    try:
        day = date.fromisoformat(args.day)
    except ValueError:
        print(f"--day: {args.day!r} is not a date like 2026-12-01", file=sys.stderr)
        return 2

    def write(opened: Services, hall: HallContext) -> str:
        directory = args.out or hall.config.haocha.reconciliation_dir or "."
        return str(write_reconciliation_file(opened.db, hall, day, Path(directory)))

    return _each_hall(args, write)
