"""`hallq serve`: the queue server under uvicorn."""

from __future__ import annotations

import argparse
import os
from typing import Any

import uvicorn

from hallq.cli.common import NO_HALL_FILE, database_url, hall_paths, open_database
from hallq.cli.options import fail
from queue_server.config import ConfigError, load_hall_configs
from queue_server.log_format import log_config
from queue_server.settings import Settings

# How long the server keeps an idle connection open (uvicorn's own default, named here).
# Whatever keeps connections to it must drop them sooner: a request sent on a connection in
# the instant the server closes it is lost, and a proxy cannot send a POST again (nginx
# answers 502). deploy/nginx-hallq.conf holds its upstream connections 4 s, hallq_client 2 s;
# tests/deploy/test_every_hop_drops_an_idle_connection_before_the_server_does.py.
KEEP_ALIVE_SECONDS = 5


def cmd_serve(args: argparse.Namespace) -> int:
    settings = Settings()
    database = database_url(args.database)
    forwarded = (
        settings.forwarded_allow_ips
        if args.forwarded_allow_ips is None
        else args.forwarded_allow_ips
    )
    paths = hall_paths(args.config)
    try:
        load_hall_configs(paths)
    except ConfigError as exc:
        return fail(f"configuration error: {exc}", 2)
    if not paths:
        return fail(NO_HALL_FILE, 2)
    if args.workers > 1 and database.startswith("sqlite"):
        return fail(
            "several workers need PostgreSQL (HALLQ_DATABASE_URL=postgresql://...); "
            "SQLite serves one worker process",
            2,
        )
    if not args.no_migrate:
        open_database(database, migrate=True).close()
    os.environ["HALLQ_CONFIG"] = ":".join(paths)
    os.environ["HALLQ_DATABASE_URL"] = database
    # Migrations ran once above; workers must not race each other running them again.
    os.environ["HALLQ_AUTO_MIGRATE"] = "false"
    uvicorn.run(
        "queue_server.api.main:app_from_env",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=args.log_level,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        # X-Forwarded-For is believed only from the reverse proxy named here (docs/deploy.md):
        # believed from anyone, it would let a caller pick the address the login throttle
        # and the booking limits count against.
        proxy_headers=bool(forwarded),
        forwarded_allow_ips=forwarded or None,
        # Under systemd (HALLQ_LOG_FORMAT=json): one JSON line per record, personal data masked.
        **_log_config(args.log_level),
    )
    return 0


def _log_config(level: str) -> dict[str, Any]:
    if os.environ.get("HALLQ_LOG_FORMAT", "text") != "json":
        return {}
    return {"log_config": log_config(level, "json")}
