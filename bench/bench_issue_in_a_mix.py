"""Issuing as a real hall does it: every ticket issued between a window's call and no-show, with
a queue already `--depth` deep, in-process through the service layer (no HTTP).

The issue cells of bench_queue_api issue and nothing else, so each transaction finds the
inputs and queue sizes the last one left (carried_inputs.py). In a hall the windows call and
finish between the kiosks' tickets; this prints what an issue costs then.

    .venv/bin/python -m bench.bench_issue_in_a_mix [--depth 3000] [--rounds 600]
        [--other-worker] [DATABASE_URL]

`--other-worker`: the window's call and no-show go through a second set of services on the
same database, as another worker process of the hall would make them (PostgreSQL serves a hall
from several).
"""

from __future__ import annotations

import argparse
import tempfile
import time

from bench.queue_server_app import BENCH_WINDOWS, bench_hall
from queue_server.api.app import build_services
from queue_server.services.event_log import SYSTEM, Actor
from queue_server.services.tickets import IssueRequest

KIOSK = Actor(device="bench-kiosk")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--depth", type=int, default=3000, help="tickets waiting before")
    parser.add_argument("--rounds", type=int, default=600)
    parser.add_argument("--other-worker", action="store_true", help="moves by another worker")
    parser.add_argument("url", nargs="?", help="default: a new SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.url or f"sqlite:///{folder}/mix.sqlite3"
        services = build_services(url, [bench_hall()], chain_key=b"k" * 32, id_key=b"i" * 32)
        db, queue = services.db, services.queue
        windows = services
        if args.other_worker:
            windows = build_services(url, [bench_hall()], chain_key=b"k" * 32, id_key=b"i" * 32)
        for _ in range(args.depth):
            db.run_together([queue.issue_job("demo", IssueRequest("ASK"), KIOSK)])
        cpu = wall = 0.0
        for round_no in range(args.rounds):
            started, started_cpu = time.perf_counter(), time.process_time()
            db.run_together([queue.issue_job("demo", IssueRequest("ASK"), KIOSK)])
            wall += time.perf_counter() - started
            cpu += time.process_time() - started_cpu
            window = 1 + round_no % BENCH_WINDOWS
            moves = windows.queue
            [called] = windows.db.run_together([moves.call_next_job("demo", window, SYSTEM)])
            assert called is not None and not isinstance(called, Exception), called
            windows.db.run_together([moves.no_show_job("demo", window, called.id)])
        db.engine.dispose()
        windows.db.engine.dispose()
    per = 1000 / args.rounds
    print(
        f"{db.engine.dialect.name}, {args.depth:,} waiting: an issue between a call and a "
        f"{'no-show by another worker' if args.other_worker else 'no-show'} "
        f"{wall * per:.2f} ms ({cpu * per:.2f} ms of CPU)"
    )


if __name__ == "__main__":
    main()
