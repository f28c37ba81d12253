"""`hallq demo`: a demo hall on SQLite, with the simulator beside it."""

from __future__ import annotations

import argparse

from queue_server.demo.run import DemoOptions, run_demo


def cmd_demo(args: argparse.Namespace) -> int:
    return run_demo(
        DemoOptions(
            database=args.database,
            host=args.host,
            port=args.port,
            log_level=args.log_level,
            live=args.live,
            speed=args.speed,
        )
    )
