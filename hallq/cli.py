"""`hallq`: one command, subcommands for the server, the apps and the tools."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def build_parser() -> argparse.ArgumentParser:
    from kiosk.commands import add_kiosk_commands
    from queue_server.account_commands import add_account_commands
    from queue_server.commands import add_server_commands
    from queue_server.live.commands import add_voice_commands
    from queue_server.simulation.commands import add_simulate_commands
    from window_display.cli import add_display_command
    from window_display.console_cli import add_console_command

    parser = argparse.ArgumentParser(prog="hallq", description="hallq queue management")
    sub = parser.add_subparsers(dest="command", required=True)
    add_server_commands(sub)
    add_voice_commands(sub)
    add_display_command(sub)
    add_kiosk_commands(sub)
    add_account_commands(sub)
    add_console_command(sub)
    add_simulate_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    parser = build_parser()
    args = parser.parse_args(argv)
    sys.exit(args.func(args))
