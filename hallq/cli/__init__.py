"""`hallq`: one command, subcommands for the server, the apps and the tools.

`parser.py` holds every command's options; `<command>.py` beside it holds that command's
handlers, thin adapters over the services, imported only when the command runs.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from hallq.cli.parser import build_parser
from hallq.credentials import load_credentials

__all__ = ["build_parser", "main"]


def main(argv: Sequence[str] | None = None) -> None:
    # Under systemd the database URL and device tokens arrive as credential files; they
    # must be in the environment before the parsers read their defaults from it.
    load_credentials()
    args = build_parser().parse_args(argv)
    sys.exit(args.func(args))
