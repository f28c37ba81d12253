"""The long version of tests/reliability: a compressed busy day through a real server.

    .venv/bin/python -m bench.bench_reliability_day --tickets 10000 --windows 40 \
        --subscribers 100 [--postgres] [--crash-at 0.33] [--pg-restart-at 0.5]

Prints what was held (tickets, requests, events, rates) and every invariant's result; exits 1
when one fails. --postgres uses a private PostgreSQL cluster (never the shared one), which
--pg-restart-at restarts (immediate mode) when that share of the tickets is issued;
--crash-at SIGKILLs the server then and restarts it.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import threading
import time
from contextlib import ExitStack
from pathlib import Path

from tests.support.busy_day import HALL, DayShape, prepare, run_day
from tests.support.invariants import check_counts, check_database, check_streams
from tests.support.private_postgres import private_postgres
from tests.support.server_process import ServerProcess


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=10_000)
    parser.add_argument("--windows", type=int, default=40)
    parser.add_argument("--subscribers", type=int, default=100)
    parser.add_argument("--kiosks", type=int, default=12)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--crash-at", type=float, default=None)
    parser.add_argument("--pg-restart-at", type=float, default=None)
    args = parser.parse_args()
    shape = DayShape(args.tickets, args.windows, args.subscribers, kiosks=args.kiosks)
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        cluster = stack.enter_context(private_postgres()) if args.postgres else None
        url = cluster.url if cluster else f"sqlite:///{folder}/hallq.sqlite3"
        prepared = prepare(url, shape, folder)
        server = stack.enter_context(
            ServerProcess(url, config=prepared.config_path, log_path=folder / "server.log")
        )
        faults: list[str] = []

        def crash() -> None:
            server.kill()
            time.sleep(0.3)
            server.start(timeout=180)

        def on_progress(done: int) -> None:
            share = done / shape.tickets
            if args.crash_at is not None and share >= args.crash_at and "kill" not in faults:
                faults.append("kill")
                threading.Thread(target=crash, daemon=True).start()
            restart = args.pg_restart_at
            if cluster and restart is not None and share >= restart and "pg" not in faults:
                faults.append("pg")
                threading.Thread(target=cluster.restart, args=(1.0,), daemon=True).start()

        started = time.monotonic()
        day, record = run_day(server.url, prepared, shape, on_progress)
        seconds = time.monotonic() - started
        check = check_database(url, HALL, record.acknowledged)
        counts = check_counts(server.url, HALL, check, prepared.tokens.duty_lead)
        streams = check_streams(
            check.log, day.start_seq, [(s.events, s.snapshots) for s in record.subscribers]
        )
        engine = "PostgreSQL (private cluster)" if cluster else "SQLite (WAL file)"
        print(f"engine: {engine}; load average before: {os.getloadavg()}")
        print(f"shape: {shape}; faults injected: {faults or 'none'}")
        print(
            f"wall time {seconds:.1f} s; requests {record.requests} "
            f"({record.requests / seconds:.0f}/s); client retries {record.retries}"
        )
        print(f"statuses: {dict(sorted(record.statuses.items()))}")
        print(
            f"acknowledged tickets {len(record.acknowledged)}; double taps "
            f"{record.double_taps} (mismatches {len(record.double_tap_mismatches)}); "
            f"finished {record.finished}; ratings {record.ratings}"
        )
        print(
            f"events {check.events}; tickets {check.tickets}; replayed moves {check.moves}; "
            f"unreplayed kinds {dict(check.replay.unreplayed_kinds)}"
        )
        print(
            f"server errors: {len(record.server_errors)}; 503 without Retry-After: "
            f"{record.unavailable_without_retry_after}"
        )
        print(f"database invariants: {len(check.problems)} problems {check.problems[:10]}")
        print(f"API counts vs log: {len(counts)} problems {counts[:10]}")
        print(
            f"subscribers {streams.subscribers} x {streams.events_each} events; snapshots "
            f"{streams.snapshots}; disconnects {sum(s.disconnects for s in record.subscribers)}"
            f"; problems {streams.problems[:5]}"
        )
        failed = (
            check.problems or counts or streams.problems or record.server_errors
            or record.double_tap_mismatches or len(record.acknowledged) != shape.tickets
        )  # fmt: skip
        print("RESULT:", "FAILED" if failed else "all invariants held")
        return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
