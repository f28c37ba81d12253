"""`hallq hall apply --config FILE`: make a changed hall file the baseline of a running hall.

The one command besides serve's start-up that changes a hall's baseline (services/halls.py).
It appends `hall.config_applied` with the file's digest and what changed; the duty lead's
decisions of today stay in force until the business day ends, and it prints which.
"""

from __future__ import annotations

import argparse
import sys

from queue_server.config import ConfigError, load_hall_configs


def hall_apply(args: argparse.Namespace) -> int:
    from queue_server.services.database import Database
    from queue_server.services.halls import HallRegistry, apply_hall_files
    from queue_server.settings import Settings, process_clock
    from queue_server.storage.engine import make_engine
    from queue_server.storage.migrate import upgrade

    try:
        configs = load_hall_configs(args.config)
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    engine = make_engine(args.database or Settings().database_url)
    try:
        upgrade(engine)
        results = apply_hall_files(Database(engine), HallRegistry(configs), process_clock())
    finally:
        engine.dispose()
    for result in results:
        digest = result.digest[:12]
        if result.created:
            print(f"hall {result.hall}: created from the file (baseline {digest})")
        elif not result.changes:
            print(f"hall {result.hall}: the file is already the baseline ({digest})")
        else:
            print(f"hall {result.hall}: baseline {digest} applied:")
            for change in result.changes:
                print(f"  {change}")
        for conflict in result.conflicts:
            print(f"  kept today: {conflict}")
    return 0


def add_hall_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    hall = sub.add_parser("hall", help="the hall files as the floor's baseline")
    halls = hall.add_subparsers(dest="hall_command", required=True)
    apply = halls.add_parser(
        "apply",
        help="apply changed hall files to the database (an event; today's floor decisions stay)",
    )
    apply.add_argument("--config", action="append", required=True, help="hall TOML file")
    apply.add_argument("--database", help="database URL (default: HALLQ_DATABASE_URL)")
    apply.set_defaults(func=hall_apply)
