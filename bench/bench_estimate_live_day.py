"""Coverage of the wait estimates on live-simulated days of the demo hall, through the real
service layer: the demo month (November 2026, written as `hallq demo` writes it) is the hall's
history, then the simulator's days of December are played through `QueueService` with a
manual clock at each action's instant (`simulation/inprocess.fill_days`, the same visitors as
`hallq simulate live` for the seed), so each estimate is the one issuing gave, with the
calibration the server fitted on its own database. Without the time compression of
`hallq simulate live` (whose server keeps real time: its waits are `speed` times shorter
than the hall-minute handling times the estimates are made of).

    .venv/bin/python -m bench.bench_estimate_live_day [--days 10]
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from queue_server.config import load_hall_config
from queue_server.demo import EXAMPLE_CONFIG
from queue_server.demo.month import SEED, simulate_days
from queue_server.domain.clock import ManualClock
from queue_server.domain.estimate_quality import Outcome, measure
from queue_server.services.database import Database
from queue_server.services.estimate_outcomes import waits_between
from queue_server.services.halls import HallRegistry, ensure_halls
from queue_server.simulation.inprocess import fill_days
from queue_server.storage.engine import make_engine
from queue_server.storage.migrate import upgrade


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=10)
    args = parser.parse_args(argv)
    config = load_hall_config(EXAMPLE_CONFIG)
    registry = HallRegistry([config])
    hall = registry.get(config.hall.id)
    calendar = hall.calendar
    url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'live.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    november = [date(2026, 11, 1) + timedelta(days=n) for n in range(30)]
    ensure_halls(
        Database(engine), registry, ManualClock(calendar.at(november[0], calendar.sessions[0][0]))
    )
    simulate_days(Database(engine), config, [d for d in november if calendar.is_working_day(d)])
    engine.dispose()
    december = [date(2026, 12, 1) + timedelta(days=n) for n in range(3 * args.days)]
    days = [d for d in december if calendar.is_working_day(d)][: args.days]
    fill_days(url, config, days, seed=SEED)
    waits = waits_between(Database(make_engine(url)), hall, days[0], days[-1])
    print(f"{len(days)} live-simulated days {days[0]} to {days[-1]}, the demo month as history\n")
    print("| tickets | called | coverage | median width min | median error min |")
    print("|---|---|---|---|---|")

    def row(label: str, chosen: Callable[[dict[str, Any]], bool]) -> None:
        outcomes = [
            Outcome("", days[0], p["estimate"][0], p["estimate"][1], w.waited_minutes)
            for w in waits
            if (p := w.payload).get("estimate") and chosen(p)
        ]
        q = measure("", None, outcomes)
        coverage = "-" if q.coverage is None else f"{100 * q.coverage:.0f} %"
        print(
            f"| {label} | {q.called} | {coverage} | {q.median_width_minutes} | "
            f"{q.median_error_minutes} |"
        )

    row("all", lambda p: True)
    row("nobody ahead (about N)", lambda p: "about" in p)
    row("people ahead", lambda p: "about" not in p)


if __name__ == "__main__":
    main()
