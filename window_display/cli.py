"""`hallq display`: run the window display full screen in this terminal."""

from __future__ import annotations

import argparse
import os


def cmd_display(args: argparse.Namespace) -> int:
    from hallq_client import HallqClient
    from hallq_client.events import EventStream
    from window_display.app import WindowDisplay
    from window_display.rating import RatingPad
    from window_display.terminal import run_until_stopped

    if not args.token:
        stream = EventStream(args.server, args.hall, window=args.window)
        run_until_stopped(WindowDisplay(args.window, stream))
        return 0
    # With this display's device token it also takes ratings (好差评) after each finish.
    client = HallqClient(args.server, args.hall, token=args.token)
    rating = RatingPad(client, args.window, timeout=args.rating_timeout)
    run_until_stopped(WindowDisplay(args.window, client.events(window=args.window), rating=rating))
    return 0


def add_display_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    display = sub.add_parser("display", help="the visitor-facing screen at one window")
    display.add_argument("--server", default="http://127.0.0.1:8000", help="queue server URL")
    display.add_argument("--hall", default="demo", help="hall id")
    display.add_argument("--window", type=int, required=True, help="window number")
    display.add_argument(
        "--token",
        default=os.environ.get("HALLQ_DEVICE_TOKEN"),
        help="this display's device token (`hallq device add --kind display`), needed for "
        "the rating pad; default: env HALLQ_DEVICE_TOKEN (keeps it off the command line)",
    )
    display.add_argument(
        "--rating-timeout",
        type=float,
        default=30.0,
        help="seconds the rating pad waits before closing with nothing recorded",
    )
    display.set_defaults(func=cmd_display)
