"""`hallq`: one command, subcommands for the server, the apps and the tools."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def build_parser() -> argparse.ArgumentParser:
    from kiosk.commands import add_kiosk_commands
    from queue_server.account_commands import add_account_commands
    from queue_server.assessment_commands import add_assessment_commands
    from queue_server.booking_commands import add_booking_commands
    from queue_server.commands import add_server_commands
    from queue_server.deploy.commands import add_deploy_commands
    from queue_server.hall_commands import add_hall_commands
    from queue_server.haocha_commands import add_haocha_commands
    from queue_server.live.commands import add_voice_commands
    from queue_server.reports.commands import add_report_commands
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
    add_hall_commands(sub)
    add_booking_commands(sub)
    add_console_command(sub)
    add_simulate_commands(sub)
    add_deploy_commands(sub)
    add_report_commands(sub)
    add_assessment_commands(sub)
    add_haocha_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    from queue_server.deploy.credentials import load_credentials

    # Under systemd the database URL and device tokens arrive as credential files; they
    # must be in the environment before the parsers read their defaults from it.
    load_credentials()
    parser = build_parser()
    args = parser.parse_args(argv)
    sys.exit(args.func(args))
