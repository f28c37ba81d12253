"""The options several commands share, as argparse parents, and the lazy handler.

Building the parser imports argparse and this package only: `hallq --help` and the kiosk's
and window's commands start without the server's libraries (a kiosk-only installation does
not even have them). A command's module is imported when that command runs.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass

DEFAULT_SERVER = "http://127.0.0.1:8000"
DATABASE_HELP = "database URL (default: HALLQ_DATABASE_URL)"

Run = Callable[[argparse.Namespace], int]


@dataclass(frozen=True)
class Handler:
    """`hallq.cli.<module>.<name>`, imported when the command runs."""

    module: str
    name: str

    def __call__(self, args: argparse.Namespace) -> int:
        run: Run = getattr(importlib.import_module(f"hallq.cli.{self.module}"), self.name)
        return int(run(args))


# The values of queue_server.domain.access's Role and DeviceKind, written out: argparse reads
# choices when an option is added, and importing the enums would load the server's package
# for every command, the kiosk's too (tests/cli/test_the_parser_offers_every_role.py).
STAFF_ROLES = ("clerk", "duty_lead", "supervisor", "admin")
DEVICE_KINDS = ("kiosk", "display", "board")


def parent(*adders: Callable[[argparse.ArgumentParser], object]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(add_help=False)
    for add in adders:
        add(parser)
    return parser


def database(help: str = DATABASE_HELP) -> argparse.ArgumentParser:
    """--database URL."""
    return parent(lambda p: p.add_argument("--database", help=help))


def configs(help: str) -> argparse.ArgumentParser:
    """--config FILE, repeatable."""
    return parent(lambda p: p.add_argument("--config", action="append", help=help))


def hall_or_first() -> argparse.ArgumentParser:
    return parent(
        lambda p: p.add_argument("--hall", help="hall id (default: the first configured hall)")
    )


def hall(required: bool = False, help: str | None = None) -> argparse.ArgumentParser:
    return parent(lambda p: p.add_argument("--hall", required=required, help=help))


def host_port(host: str) -> argparse.ArgumentParser:
    def add(p: argparse.ArgumentParser) -> None:
        p.add_argument("--host", default=host)
        p.add_argument("--port", type=int, default=8000)

    return parent(add)


def log_level(default: str) -> argparse.ArgumentParser:
    return parent(lambda p: p.add_argument("--log-level", default=default))


def device_app(hall_help: str) -> argparse.ArgumentParser:
    """What a device app connects to: --server and --hall (the demo hall by default)."""

    def add(p: argparse.ArgumentParser) -> None:
        p.add_argument("--server", default=DEFAULT_SERVER, help="queue server URL")
        p.add_argument("--hall", default="demo", help=hall_help)

    return parent(add)


def window() -> argparse.ArgumentParser:
    return parent(
        lambda p: p.add_argument("--window", type=int, required=True, help="window number")
    )


def paper(flag: str = "--paper", help: str = "paper width mm") -> argparse.ArgumentParser:
    return parent(lambda p: p.add_argument(flag, type=int, choices=(58, 80), default=80, help=help))


def lang() -> argparse.ArgumentParser:
    return parent(lambda p: p.add_argument("--lang", choices=("zh", "en"), default="zh"))


def device_token(help: str) -> argparse.ArgumentParser:
    return parent(
        lambda p: p.add_argument("--token", default=os.environ.get("HALLQ_DEVICE_TOKEN"), help=help)
    )


def month() -> argparse.ArgumentParser:
    return parent(lambda p: p.add_argument("month", help="YYYY-MM, e.g. 2026-11"))


def explain() -> argparse.ArgumentParser:
    return parent(
        lambda p: p.add_argument(
            "--explain", action="store_true", help="every line and its evidence"
        )
    )


def json_output(help: str) -> argparse.ArgumentParser:
    return parent(lambda p: p.add_argument("--json", action="store_true", help=help))


def checkpoint_dir(help: str) -> argparse.ArgumentParser:
    return parent(lambda p: p.add_argument("--checkpoint-dir", help=help))


def signing_key() -> argparse.ArgumentParser:
    return parent(
        lambda p: p.add_argument("--signing-key", help="default: HALLQ_CHECKPOINT_KEY_FILE")
    )


def password_file() -> argparse.ArgumentParser:
    return parent(
        lambda p: p.add_argument(
            "--password-file", help="read the password from this file ('-': stdin)"
        )
    )


def fail(message: str, status: int) -> int:
    """Say why on stderr; the command's exit status."""
    print(message, file=sys.stderr)
    return status
