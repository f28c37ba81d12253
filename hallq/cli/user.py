"""`hallq user ...`: staff accounts, on the database.

Passwords come from a prompt or from `--password-file` (never from the command line, where
`ps` and the shell history would keep them).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from hallq.cli.common import open_database
from hallq.cli.options import Run, fail
from queue_server.composition import HallFiles, Services
from queue_server.config import load_hall_configs
from queue_server.domain.access import Role
from queue_server.domain.errors import RuleViolation


def account_services(args: argparse.Namespace) -> Services:
    """Migrated; a fresh database learns the halls of --config here, and a known hall's floor
    is left alone (services/halls.py: only `hallq hall apply` and serve's start-up apply a
    file)."""
    halls = load_hall_configs(args.config) if args.config else []
    return open_database(args.database, halls, migrate=True, hall_files=HallFiles.ENSURE)


def run_action(args: argparse.Namespace, actions: dict[str, Run]) -> int:
    try:
        return actions[args.action](args)
    except RuleViolation as exc:
        return fail(f"error: {exc.message}", 1)
    except OSError as exc:
        return fail(f"error: {exc}", 1)


def run(args: argparse.Namespace) -> int:
    return run_action(
        args,
        {
            "user_add": user_add,
            "user_list": user_list,
            "user_disable": user_disable,
            "user_reset_password": user_reset_password,
        },
    )


def _password(args: argparse.Namespace) -> str:
    if args.password_file:
        source = sys.stdin if args.password_file == "-" else None
        text = source.readline() if source else Path(args.password_file).read_text("utf-8")
        return text.splitlines()[0] if text else ""
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise RuleViolation("the two passwords differ")
    return first


def user_add(args: argparse.Namespace) -> int:
    accounts = account_services(args).accounts
    password = _password(args)
    user = accounts.create_user(args.hall, args.staff_no, args.name, Role(args.role), password)
    print(f"added {user.role.value} {user.staff_no} {user.name} in hall {user.hall}")
    return 0


def user_list(args: argparse.Namespace) -> int:
    for user in account_services(args).accounts.list_users(args.hall):
        state = "active" if user.active else "disabled"
        print(f"{user.hall:<12} {user.staff_no:<10} {user.role.value:<11} {state:<9} {user.name}")
    return 0


def user_disable(args: argparse.Namespace) -> int:
    user = account_services(args).accounts.disable_user(args.staff_no)
    print(f"disabled {user.staff_no} {user.name}; their logins are revoked")
    return 0


def user_reset_password(args: argparse.Namespace) -> int:
    accounts = account_services(args).accounts
    accounts.user(args.staff_no)  # a typo is reported before asking for a password
    user = accounts.reset_password(args.staff_no, _password(args))
    print(f"new password set for {user.staff_no} {user.name}; their logins are revoked")
    return 0
