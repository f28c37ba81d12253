"""`hallq user ...` and `hallq device ...`: staff accounts and device tokens, on the database.

Passwords come from a prompt or from `--password-file` (never from the command line, where
`ps` and the shell history would keep them). A device token is printed once and only its
digest is stored.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from queue_server.domain.access import DeviceKind, Role
from queue_server.domain.errors import RuleViolation
from queue_server.settings import process_clock

if TYPE_CHECKING:  # the services load only when a command runs: `hallq --help` stays quick
    from queue_server.services.accounts import AccountService
    from queue_server.services.database import Database
    from queue_server.services.device_tokens import DeviceTokens


def _database(args: argparse.Namespace) -> Database:
    from queue_server.config import load_hall_configs
    from queue_server.services.database import Database
    from queue_server.services.halls import HallRegistry, ensure_halls
    from queue_server.settings import Settings
    from queue_server.storage.engine import make_engine
    from queue_server.storage.migrate import upgrade

    settings = Settings()
    engine = make_engine(args.database or settings.database_url)
    upgrade(engine)
    db = Database(engine)
    if args.config:
        # A fresh database learns its halls here; a known hall's floor is left alone
        # (services/halls.py: only `hallq hall apply` and serve's start-up apply a file).
        ensure_halls(db, HallRegistry(load_hall_configs(args.config)), process_clock())
    return db


def _password(args: argparse.Namespace) -> str:
    if args.password_file:
        source = sys.stdin if args.password_file == "-" else None
        text = source.readline() if source else Path(args.password_file).read_text("utf-8")
        return text.splitlines()[0] if text else ""
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise RuleViolation("the two passwords differ")
    return first


def _run(args: argparse.Namespace) -> int:
    try:
        return int(args.action(args))
    except RuleViolation as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


# ----- users -------------------------------------------------------------------------------


def _accounts(args: argparse.Namespace) -> AccountService:
    from queue_server.services.accounts import AccountService

    return AccountService(_database(args), process_clock())


def user_add(args: argparse.Namespace) -> int:
    accounts = _accounts(args)
    password = _password(args)
    user = accounts.create_user(args.hall, args.staff_no, args.name, Role(args.role), password)
    print(f"added {user.role.value} {user.staff_no} {user.name} in hall {user.hall}")
    return 0


def user_list(args: argparse.Namespace) -> int:
    for user in _accounts(args).list_users(args.hall):
        state = "active" if user.active else "disabled"
        print(f"{user.hall:<12} {user.staff_no:<10} {user.role.value:<11} {state:<9} {user.name}")
    return 0


def user_disable(args: argparse.Namespace) -> int:
    user = _accounts(args).disable_user(args.staff_no)
    print(f"disabled {user.staff_no} {user.name}; their logins are revoked")
    return 0


def user_reset_password(args: argparse.Namespace) -> int:
    accounts = _accounts(args)
    accounts.user(args.staff_no)  # a typo is reported before asking for a password
    user = accounts.reset_password(args.staff_no, _password(args))
    print(f"new password set for {user.staff_no} {user.name}; their logins are revoked")
    return 0


# ----- devices -----------------------------------------------------------------------------


def _devices(args: argparse.Namespace) -> DeviceTokens:
    from queue_server.services.device_tokens import DeviceTokens

    return DeviceTokens(_database(args), process_clock())


def device_add(args: argparse.Namespace) -> int:
    issued = _devices(args).add(args.hall, DeviceKind(args.kind), args.window, args.name)
    device = issued.device
    where = f" at window {device.window}" if device.window is not None else ""
    print(f"added {device.kind.value} {device.name!r}{where} in hall {device.hall}")
    print("its token (shown only now; keep it in a file readable only by the device's user):")
    print(issued.token)
    return 0


def device_list(args: argparse.Namespace) -> int:
    for device in _devices(args).list(args.hall):
        window = str(device.window) if device.window is not None else "-"
        state = "revoked" if device.revoked_at else "active"
        print(f"{device.hall:<12} {device.name:<16} {device.kind.value:<8} {window:<6} {state}")
    return 0


def device_revoke(args: argparse.Namespace) -> int:
    device = _devices(args).revoke(args.hall, args.name)
    print(f"revoked the token of {device.kind.value} {device.name!r}")
    return 0


# ----- the parsers -------------------------------------------------------------------------


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--database", help="database URL (default: HALLQ_DATABASE_URL)")
    parser.add_argument(
        "--config", action="append", help="hall TOML file, to create its hall in a new database"
    )


def add_account_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    user = sub.add_parser("user", help="staff accounts")
    users = user.add_subparsers(dest="user_command", required=True)
    add = users.add_parser("add", help="add an account (asks for its password)")
    add.add_argument("--hall", required=True)
    add.add_argument("--staff-no", required=True, help="工号, what the person logs in with")
    add.add_argument("--name", required=True, help="shown on the window display")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument("--password-file", help="read the password from this file ('-': stdin)")
    add.set_defaults(action=user_add)
    listing = users.add_parser("list", help="list accounts")
    listing.add_argument("--hall")
    listing.set_defaults(action=user_list)
    disable = users.add_parser("disable", help="disable an account and revoke its logins")
    disable.add_argument("staff_no")
    disable.set_defaults(action=user_disable)
    reset = users.add_parser("reset-password", help="set a new password (asks for it)")
    reset.add_argument("staff_no")
    reset.add_argument("--password-file", help="read the password from this file ('-': stdin)")
    reset.set_defaults(action=user_reset_password)
    for parser in (add, listing, disable, reset):
        _common(parser)
        parser.set_defaults(func=_run)

    device = sub.add_parser("device", help="device tokens for kiosks, displays and boards")
    devices = device.add_subparsers(dest="device_command", required=True)
    dadd = devices.add_parser("add", help="add a device and print its token once")
    dadd.add_argument("--hall", required=True)
    dadd.add_argument("--kind", required=True, choices=[k.value for k in DeviceKind])
    dadd.add_argument("--window", type=int, help="the window a display is bound to")
    dadd.add_argument("--name", help="default: display-<window>, kiosk-1, board-1 ...")
    dadd.set_defaults(action=device_add)
    dlist = devices.add_parser("list", help="list devices")
    dlist.add_argument("--hall")
    dlist.set_defaults(action=device_list)
    revoke = devices.add_parser("revoke", help="revoke a device's token")
    revoke.add_argument("--hall", required=True)
    revoke.add_argument("name")
    revoke.set_defaults(action=device_revoke)
    for parser in (dadd, dlist, revoke):
        _common(parser)
        parser.set_defaults(func=_run)
