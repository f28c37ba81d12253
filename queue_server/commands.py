"""Server-side commands of the `hallq` CLI (thin: they call the service layer)."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from queue_server.audit_commands import add_audit_commands
from queue_server.config import ConfigError, load_hall_configs
from queue_server.settings import Settings


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from queue_server.storage.engine import make_engine
    from queue_server.storage.migrate import upgrade

    settings = Settings()
    database = args.database or settings.database_url
    forwarded = (
        settings.forwarded_allow_ips
        if args.forwarded_allow_ips is None
        else args.forwarded_allow_ips
    )
    paths = [str(p) for p in (args.config or settings.config_paths())]
    try:
        load_hall_configs(paths)
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    if not paths:
        print("no hall configuration given (--config FILE or HALLQ_CONFIG)", file=sys.stderr)
        return 2
    if args.workers > 1 and database.startswith("sqlite"):
        print(
            "several workers need PostgreSQL (HALLQ_DATABASE_URL=postgresql://...); "
            "SQLite serves one worker process",
            file=sys.stderr,
        )
        return 2
    if not args.no_migrate:
        upgrade(make_engine(database))
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
    from queue_server.log_format import log_config

    return {"log_config": log_config(level, "json")}


def cmd_demo(args: argparse.Namespace) -> int:
    from queue_server.demo_run import DemoOptions, run_demo

    return run_demo(
        DemoOptions(
            database=args.database,
            host=args.host,
            port=args.port,
            log_level=args.log_level,
            live=args.live,
            speed=args.speed,
        )
    )


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from queue_server.storage.engine import make_engine
    from queue_server.storage.migrate import current_revision, upgrade

    engine = make_engine(args.database or Settings().database_url)
    upgrade(engine)
    print(f"database at revision {current_revision(engine)}")
    return 0


def add_server_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = sub.add_parser("serve", help="run the queue server")
    serve.add_argument("--config", action="append", help="hall TOML file (repeatable)")
    serve.add_argument("--database", help="database URL (default: HALLQ_DATABASE_URL)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1, help="several only on PostgreSQL")
    serve.add_argument("--no-migrate", action="store_true")
    serve.add_argument("--log-level", default="info")
    serve.add_argument(
        "--forwarded-allow-ips",
        metavar="ADDRESSES",
        help="the reverse proxy's address(es), comma-separated, whose X-Forwarded-For is "
        "believed (default: HALLQ_FORWARDED_ALLOW_IPS, empty: nobody's)",
    )
    serve.set_defaults(func=cmd_serve)

    demo = sub.add_parser("demo", help="run a demo hall on SQLite")
    demo.add_argument("--database", default="sqlite:///var/demo.sqlite3")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--log-level", default="warning")
    demo.add_argument(
        "--live",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="run the hall simulator beside it (default): visitors arrive and simulated clerks "
        "call them at every window but one, left to you; --no-live leaves every window to you",
    )
    demo.add_argument("--speed", type=float, default=5, help="with --live: minutes per minute")
    demo.set_defaults(func=cmd_demo)

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    up = db_sub.add_parser("upgrade", help="apply migrations")
    up.add_argument("--database")
    up.set_defaults(func=cmd_db_upgrade)

    add_audit_commands(sub)
