"""`hallq simulate day|month`: the hall simulator in memory and into a database (`simulate live`,
against a running server, is in simulate_live.py: it alone needs the HTTP client)."""

from __future__ import annotations

import argparse
import time
from datetime import date, datetime
from pathlib import Path

from hallq.cli.common import database_url
from hallq.cli.options import fail
from queue_server.config import ConfigError, HallConfig, load_hall_config
from queue_server.demo import EXAMPLE_CONFIG
from queue_server.queueing.demand import HallModel, RatingModel, hall_model
from queue_server.queueing.memory import simulate_day
from queue_server.queueing.planning import plan_day
from queue_server.settings import process_clock
from queue_server.simulation.inprocess import FilledDay, HallNotAtRest, fill_month


def hall_config(path: str | None) -> HallConfig:
    return load_hall_config(Path(path) if path else EXAMPLE_CONFIG)


def visitor_model(config: HallConfig, scale: float) -> HallModel:
    return hall_model(config, volume_scale=scale, ratings=RatingModel())


def cmd_day(args: argparse.Namespace) -> int:
    config = hall_config(args.config)
    today = config.hall.calendar().business_day(process_clock().now())
    day = date.fromisoformat(args.date) if args.date else today
    plan = plan_day(config, day, visitor_model(config, args.volume_scale), args.seed)
    if not plan.sessions:
        return fail(f"hall {config.hall.id} is closed on {day}", 1)
    print(
        f"{day} hall {config.hall.id} seed {args.seed}: {simulate_day(config, plan).summary.line()}"
    )
    return 0


def cmd_month(args: argparse.Namespace) -> int:
    try:
        config = hall_config(args.config)
        datetime.strptime(args.month, "%Y-%m")
    except ConfigError as exc:
        return fail(f"configuration error: {exc}", 2)
    except ValueError:
        return fail(f"{args.month!r} is not a month like 2026-10", 2)
    database = database_url(args.database)
    started = time.perf_counter()

    def progress(filled: FilledDay) -> None:
        print(f"  {filled.day} {filled.summary.line()}", flush=True)

    print(f"simulating {args.month} for hall {config.hall.id} into {database}", flush=True)
    try:
        days = fill_month(
            database,
            config,
            args.month,
            seed=args.seed,
            model=visitor_model(config, args.volume_scale),
            on_day=progress,
        )
    except HallNotAtRest as exc:
        return fail(f"not filled: {exc}", 1)
    tickets = sum(d.summary.issued for d in days)
    print(
        f"{len(days)} working days, {tickets} tickets in {time.perf_counter() - started:.1f} s; "
        "check the event log with: hallq audit verify --database URL"
    )
    return 0
