"""Filling a past month of the demo hall through the service layer, beside the same days in
memory (the simulator alone) in the same run.

    .venv/bin/python -m bench.bench_simulate_month [--month 2026-10] [--database URL]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from queue_server.config import load_hall_config
from queue_server.demo import EXAMPLE_CONFIG
from queue_server.queueing.demand import RatingModel, hall_model
from queue_server.queueing.memory import simulate_day
from queue_server.queueing.planning import plan_day
from queue_server.services.database import Database
from queue_server.services.event_log import verify_chain
from queue_server.simulation.inprocess import fill_month, month_days
from queue_server.storage.engine import make_engine
from queue_server.storage.tables import Event


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--month", default="2026-10")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database", help="default: a new SQLite file")
    args = parser.parse_args()
    config = load_hall_config(EXAMPLE_CONFIG)
    model = hall_model(config, ratings=RatingModel())
    calendar = config.hall.calendar()
    days = [d for d in month_days(args.month) if calendar.is_working_day(d)]

    started = time.perf_counter()
    in_memory = [simulate_day(config, plan_day(config, d, model, args.seed)) for d in days]
    memory_seconds = time.perf_counter() - started

    with tempfile.TemporaryDirectory() as folder:
        url = args.database or f"sqlite:///{Path(folder) / 'month.sqlite3'}"
        started, cpu = time.perf_counter(), time.process_time()
        filled = fill_month(url, config, args.month, seed=args.seed, model=model)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        db = Database(make_engine(url))
        with db.read() as session:
            events = session.scalar(select(func.count()).select_from(Event)) or 0
            started = time.perf_counter()
            checked, broken = verify_chain(session, config.hall.id)
            verify_seconds = time.perf_counter() - started
        db.engine.dispose()

    tickets = sum(d.summary.issued for d in filled)
    assert tickets == sum(r.summary.issued for r in in_memory)
    print(f"\n{args.month}, demo hall: {len(filled)} working days, {tickets} tickets, ", end="")
    print(f"{events} events\n")
    print("| run | seconds | per event |")
    print("|---|---:|---:|")
    engine = url.split(":")[0]
    print(f"| through QueueService into {engine} (wall) | {wall:.1f} | ", end="")
    print(f"{wall / events * 1000:.2f} ms |")
    print(f"| the same, CPU time of the process | {cpu:.1f} | {cpu / events * 1000:.2f} ms |")
    print(f"| the same days in memory (simulator alone) | {memory_seconds:.2f} | - |")
    print(f"| verify the hash chain ({checked} events) | {verify_seconds:.2f} | - |")
    print(f"\nchain {'intact' if broken is None else 'BROKEN'}")


if __name__ == "__main__":
    main()
