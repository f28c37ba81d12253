"""`hallq display`: run the window display full screen in this terminal."""

from __future__ import annotations

import argparse

from hallq_client import HallqClient
from hallq_client.events import EventStream
from window_display.app import WindowDisplay
from window_display.rating import RatingPad
from window_display.terminal import run_until_stopped


def cmd_display(args: argparse.Namespace) -> int:
    if not args.token:
        stream = EventStream(args.server, args.hall, window=args.window)
        run_until_stopped(WindowDisplay(args.window, stream))
        return 0
    # With this display's device token it also takes ratings (好差评) after each finish.
    client = HallqClient(args.server, args.hall, token=args.token)
    rating = RatingPad(client, args.window, timeout=args.rating_timeout)
    run_until_stopped(WindowDisplay(args.window, client.events(window=args.window), rating=rating))
    return 0
