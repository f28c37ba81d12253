"""`hallq doctor | install | backup | restore | retention purge | board` (thin adapters)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from queue_server.settings import Settings


def cmd_doctor(args: argparse.Namespace) -> int:
    from queue_server.deploy.doctor import read_setup, report, run_checks

    try:
        setup = read_setup(Path(args.root), args.role)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    text, status = report(setup, run_checks(setup))
    print(text)
    return status


def cmd_install(args: argparse.Namespace) -> int:
    from queue_server.deploy.install import (
        InstallError,
        InstallOptions,
        apply,
        describe,
        must_be_root,
        plan_install,
    )

    root = Path(args.root)
    options = InstallOptions(
        role=args.role,
        hallq=args.hallq,
        hall_config=Path(args.config) if args.config else InstallOptions.hall_config,
        database_url=args.database or InstallOptions.database_url,
        host=args.host,
        port=args.port,
        workers=args.workers,
        public_url=args.public_url,
        server=args.server,
        hall=args.hall,
        seats=tuple(args.seat or [1]),
        printer=args.printer,
        paper=args.paper,
        token_file=Path(args.token_file) if args.token_file else None,
        id_reader=args.id_reader,
    )
    try:
        plan = plan_install(options)
        if args.dry_run:
            print(f"hallq install --role {args.role}: would do (nothing written)")
            for line in describe(plan, root):
                print(f"  {line}")
            return 0
        must_be_root(root)
        run = root == Path("/")
        for line in apply(plan, root, force=args.force, run=run):
            print(f"  {line}")
    except (InstallError, OSError) as exc:
        print(f"hallq install: {exc}", file=sys.stderr)
        return 1
    if not run:
        print(f"files are under {root}; on the target machine, as root, run:")
        for command in plan.commands:
            print(f"  {' '.join(command)}")
    for note in plan.notes:
        print(f"next: {note}")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from queue_server.deploy.backup import BackupError, backup

    database = args.database or Settings().database_url
    try:
        path = backup(database, Path(args.dir), keep=args.keep)
    except BackupError as exc:
        print(f"hallq backup: {exc}", file=sys.stderr)
        return 1
    print(path)
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from queue_server.deploy.backup import BackupError, restore

    database = args.database or Settings().database_url
    try:
        result = restore(Path(args.file), database, force=args.force)
    except BackupError as exc:
        print(f"hallq restore: {exc}", file=sys.stderr)
        return 1
    print(f"restored {args.file}; schema at revision {result.revision}")
    for chain in result.chains:
        if chain.broken_at is None:
            print(f"hall {chain.hall}: {chain.events} events, chain intact")
        else:
            print(f"hall {chain.hall}: chain BROKEN at event seq {chain.broken_at}: {chain.reason}")
    return 0 if result.intact else 1


def cmd_retention_purge(args: argparse.Namespace) -> int:
    from queue_server.config import ConfigError, load_hall_configs
    from queue_server.services.database import Database
    from queue_server.services.halls import HallRegistry
    from queue_server.services.retention import RetentionService
    from queue_server.settings import process_clock
    from queue_server.storage.engine import make_engine

    settings = Settings()
    paths = [str(p) for p in (args.config or settings.config_paths())]
    if not paths:
        print("no hall configuration given (--config FILE or HALLQ_CONFIG)", file=sys.stderr)
        return 2
    try:
        halls = HallRegistry(load_hall_configs(paths))
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    engine = make_engine(args.database or settings.database_url)
    try:
        service = RetentionService(Database(engine), halls, process_clock())
        for result in service.purge_all():
            rows = ", ".join(f"{name} {count}" for name, count in result.rows.items())
            print(f"hall {result.hall_id}: personal data cleared in {result.total} rows ({rows})")
    finally:
        engine.dispose()
    return 0


def cmd_board(args: argparse.Namespace) -> int:
    from queue_server.deploy.board import launch_command

    command = launch_command(
        args.server,
        args.hall,
        args.browser,
        Path(args.profile),
        Path(args.start_page),
        os.environ.get("HALLQ_DEVICE_TOKEN"),
    )
    if args.print_only:
        print(" ".join(command))
        return 0
    os.execv(command[0], command)
    return 1  # not reached


def add_deploy_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from queue_server.deploy.install import default_hallq
    from queue_server.deploy.site import ROLES

    doctor = sub.add_parser("doctor", help="check this installation and say how to fix it")
    doctor.add_argument("--role", choices=ROLES, help="default: HALLQ_ROLE in hallq.env")
    doctor.add_argument("--root", default="/", help="installation root (default /)")
    doctor.set_defaults(func=cmd_doctor)

    install = sub.add_parser("install", help="install units and configuration for a role")
    install.add_argument("--role", choices=ROLES, required=True)
    install.add_argument("--root", default="/", help="write under this directory instead of /")
    install.add_argument("--dry-run", action="store_true", help="print, write nothing")
    install.add_argument("--force", action="store_true", help="replace existing configuration")
    install.add_argument("--hallq", default=default_hallq(), help="the hallq the units run")
    install.add_argument("--config", help="server: the hall TOML to install (default: example)")
    install.add_argument("--database", help="server: database URL (default SQLite in state dir)")
    install.add_argument("--host", default="0.0.0.0", help="server: listen address")
    install.add_argument("--port", type=int, default=8000, help="server: port")
    install.add_argument("--workers", type=int, help="server: 1 on SQLite, default 4 on PG")
    install.add_argument("--public-url", help="server: its address for visitors' phones")
    install.add_argument("--server", default="http://127.0.0.1:8000", help="devices: server URL")
    install.add_argument("--hall", default="demo", help="devices: hall id")
    install.add_argument(
        "--seat", type=int, action="append", help="kiosk seat / window number (repeatable)"
    )
    install.add_argument(
        "--printer", default="preview:/var/lib/hallq/receipts", help="kiosk: --printer spec"
    )
    install.add_argument("--paper", type=int, choices=(58, 80), default=80)
    install.add_argument(
        "--id-reader", help="kiosk: serial port of a GA 467 ID card reader (docs/kiosk.md)"
    )
    install.add_argument("--token-file", help="devices: file holding the device token")
    install.set_defaults(func=cmd_install)

    backup = sub.add_parser("backup", help="dated database backup with rotation")
    backup.add_argument("--database", help="default: HALLQ_DATABASE_URL")
    backup.add_argument("--dir", default=os.environ.get("HALLQ_BACKUP_DIR", "var/backups"))
    backup.add_argument("--keep", type=int, default=int(os.environ.get("HALLQ_BACKUP_KEEP", "14")))
    backup.set_defaults(func=cmd_backup)

    restore = sub.add_parser("restore", help="restore a backup into an empty database")
    restore.add_argument("file", help="a hallq-*.sqlite3 or hallq-*.pgdump backup")
    restore.add_argument("--database", help="default: HALLQ_DATABASE_URL")
    restore.add_argument("--force", action="store_true", help="overwrite a database in use")
    restore.set_defaults(func=cmd_restore)

    retention = sub.add_parser("retention", help="personal data retention")
    retention_sub = retention.add_subparsers(dest="retention_command", required=True)
    purge = retention_sub.add_parser("purge", help="clear personal data past its days")
    purge.add_argument("--config", action="append", help="hall TOML (default: HALLQ_CONFIG)")
    purge.add_argument("--database", help="default: HALLQ_DATABASE_URL")
    purge.set_defaults(func=cmd_retention_purge)

    board = sub.add_parser("board", help="open the hall board in Chromium's kiosk mode")
    board.add_argument("--server", default="http://127.0.0.1:8000")
    board.add_argument("--hall", default="demo")
    board.add_argument("--browser", default="chromium")
    board.add_argument("--profile", default="var/board-profile", help="Chromium profile folder")
    board.add_argument("--start-page", default="var/board-start.html")
    board.add_argument("--print-only", action="store_true", help="print the command, do not run")
    board.set_defaults(func=cmd_board)
