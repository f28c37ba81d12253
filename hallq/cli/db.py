"""`hallq db upgrade`: apply the migrations."""

from __future__ import annotations

import argparse

from hallq.cli.common import open_database
from queue_server.storage.migrate import current_revision


def cmd_upgrade(args: argparse.Namespace) -> int:
    services = open_database(args.database, migrate=True)
    print(f"database at revision {current_revision(services.db.engine)}")
    return 0
