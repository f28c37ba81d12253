"""`hallq doctor | install | backup | restore | retention purge | board`: installing and
running a machine of the hall (thin adapters over queue_server/deploy)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from hallq.cli.common import NO_HALL_FILE, database_url, hall_paths, open_database
from hallq.cli.options import fail
from queue_server.config import ConfigError, load_hall_configs
from queue_server.deploy.backup import BackupError, backup, restore
from queue_server.deploy.board import launch_command
from queue_server.deploy.doctor import read_setup, report, run_checks
from queue_server.deploy.install import (
    InstallError,
    InstallOptions,
    apply,
    default_hallq,
    describe,
    must_be_root,
    plan_install,
)


def cmd_doctor(args: argparse.Namespace) -> int:
    try:
        setup = read_setup(Path(args.root), args.role)
    except ValueError as exc:
        return fail(str(exc), 2)
    text, status = report(setup, run_checks(setup))
    print(text)
    return status


def cmd_install(args: argparse.Namespace) -> int:
    root = Path(args.root)
    options = InstallOptions(
        role=args.role,
        hallq=args.hallq or default_hallq(),
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
        return fail(f"hallq install: {exc}", 1)
    if not run:
        print(f"files are under {root}; on the target machine, as root, run:")
        for command in plan.commands:
            print(f"  {' '.join(command)}")
    for note in plan.notes:
        print(f"next: {note}")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    try:
        path = backup(database_url(args.database), Path(args.dir), keep=args.keep)
    except BackupError as exc:
        return fail(f"hallq backup: {exc}", 1)
    print(path)
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    try:
        result = restore(Path(args.file), database_url(args.database), force=args.force)
    except BackupError as exc:
        return fail(f"hallq restore: {exc}", 1)
    print(f"restored {args.file}; schema at revision {result.revision}")
    for chain in result.chains:
        if chain.broken_at is None:
            print(f"hall {chain.hall}: {chain.events} events, chain intact")
        else:
            print(f"hall {chain.hall}: chain BROKEN at event seq {chain.broken_at}: {chain.reason}")
    return 0 if result.intact else 1


def cmd_retention_purge(args: argparse.Namespace) -> int:
    paths = hall_paths(args.config)
    if not paths:
        return fail(NO_HALL_FILE, 2)
    try:
        halls = load_hall_configs(paths)
    except ConfigError as exc:
        return fail(f"configuration error: {exc}", 2)
    services = open_database(args.database, halls, migrate=False)
    try:
        for result in services.retention.purge_all():
            rows = ", ".join(f"{name} {count}" for name, count in result.rows.items())
            print(f"hall {result.hall_id}: personal data cleared in {result.total} rows ({rows})")
    finally:
        services.close()
    return 0


def cmd_board(args: argparse.Namespace) -> int:
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
