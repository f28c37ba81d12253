"""`hallq hall apply --config FILE`: make a changed hall file the baseline of a running hall.

The one command besides serve's start-up that changes a hall's baseline (services/halls.py).
It appends `hall.config_applied` with the file's digest and what changed; the duty lead's
decisions of today stay in force until the business day ends, and it prints which.
"""

from __future__ import annotations

import argparse

from hallq.cli.common import open_database
from hallq.cli.options import fail
from queue_server.config import ConfigError, load_hall_configs
from queue_server.services.halls import apply_hall_files


def cmd_apply(args: argparse.Namespace) -> int:
    try:
        configs = load_hall_configs(args.config)
    except ConfigError as exc:
        return fail(f"configuration error: {exc}", 2)
    # The files are applied below, where their results are printed.
    services = open_database(args.database, configs, migrate=True)
    try:
        results = apply_hall_files(services.db, services.halls, services.clock)
    finally:
        services.close()
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
