"""`hallq`: one command, subcommands for the server, the apps and the tools."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def build_parser() -> argparse.ArgumentParser:
    from queue_server.commands import add_server_commands

    parser = argparse.ArgumentParser(prog="hallq", description="hallq queue management")
    sub = parser.add_subparsers(dest="command", required=True)
    add_server_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    parser = build_parser()
    args = parser.parse_args(argv)
    sys.exit(args.func(args))
