"""Python function calls and wall time per ticket issued and per call round, in-process through
the service layer (no HTTP). Call counts do not depend on the machine's load, so they compare
two versions of the code on a busy machine where rates do not. `--day-size N` first fills
today with N tickets (bench_queue_api.fill_day), `--history N` earlier days with N
(fill_history); `--sql` prints the statements that took the
most database time per ticket; the floor read (the alert watch's `read_floor`) is timed too.
`--batch N` issues N tickets a transaction and calls N windows a transaction, as the hall
writer does when N requests of a hall arrive together (Database.run_together); `--plain`
times the same without the profiler (its times are the service's own; no call counts).

    .venv/bin/python -m bench.profile_issue [--tickets 300] [--day-size 50000] [--sql]
        [--history 150000]
        [--batch 10] [--plain] [DATABASE_URL]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import tempfile
import time
from collections import defaultdict
from typing import Any

from sqlalchemy import event

from bench.bench_queue_api import fill_day, fill_history
from bench.queue_server_app import BENCH_WINDOWS, bench_hall
from queue_server.api.app import build_services
from queue_server.services.event_log import SYSTEM
from queue_server.services.floor_view import read_floor
from queue_server.services.tickets import IssueRequest


class StatementClock:
    """Database time per statement text (cursor execute to its return)."""

    def __init__(self, engine: Any) -> None:
        self.spent: dict[str, float] = defaultdict(float)
        self.count: dict[str, int] = defaultdict(int)
        self.on = False

        @event.listens_for(engine, "before_cursor_execute")
        def before(conn: Any, cursor: Any, statement: str, *rest: Any) -> None:
            conn.info["hallq_started"] = time.perf_counter()

        @event.listens_for(engine, "after_cursor_execute")
        def after(conn: Any, cursor: Any, statement: str, *rest: Any) -> None:
            if self.on:
                key = " ".join(statement.split())[:110]
                self.spent[key] += time.perf_counter() - conn.info.pop("hallq_started")
                self.count[key] += 1

    def top(self, per: int, n: int = 8) -> list[str]:
        ranked = sorted(self.spent.items(), key=lambda kv: -kv[1])[:n]
        return [
            f"  {spent * 1000 / per:6.3f} ms  x{self.count[sql] / per:.1f}  {sql}"
            for sql, spent in ranked
        ]


# The parts of an issue worth watching: cumulative time per ticket under the profiler
# (inflated by it; compare the shares, and the same line between two versions).
ISSUE_PARTS = ("issue", "_estimate", "open_capacity", "handling_minutes", "count_ahead")


def _cumulative(profile: cProfile.Profile, per: int, names: tuple[str, ...]) -> list[str]:
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    found: dict[str, tuple[int, float]] = {}
    for (path, _line, name), (_cc, calls, _tt, cumulative, _callers) in stats.items():
        if name in names and "queue_server" in path:
            seen = found.get(name, (0, 0.0))
            found[name] = (seen[0] + calls, seen[1] + cumulative)
    total = found.get("issue", (0, 0.0))[1] or 1.0
    return [
        f"  {name}: x{found[name][0] / per:.1f}, {found[name][1] * 1000 / per:.2f} ms "
        f"({found[name][1] / total:.0%} of issue, cumulative under cProfile)"
        for name in names
        if name in found
    ]


def _calls(profile: cProfile.Profile) -> int:
    """Python calls the profile counted (0 if it never ran: --plain)."""
    if not profile.getstats():
        return 0
    return int(pstats.Stats(profile).total_calls)  # type: ignore[attr-defined]


def issue_batch(services: Any, size: int) -> None:
    """`size` tickets in one transaction (one job: run alone, as `issue` does)."""
    queue = services.queue
    if size == 1:
        queue.issue("demo", IssueRequest("ASK"))
        return
    jobs = [queue.issue_job("demo", IssueRequest("ASK"), SYSTEM) for _ in range(size)]
    for result in services.db.run_together(jobs):
        if isinstance(result, Exception):
            raise result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=300)
    parser.add_argument("--day-size", type=int, default=0)
    parser.add_argument("--history", type=int, default=0, help="tickets of earlier days")
    parser.add_argument("--sql", action="store_true")
    parser.add_argument("--batch", type=int, default=1, help="requests a transaction")
    parser.add_argument(
        "--plain", action="store_true", help="times without the profiler (no call counts)"
    )
    parser.add_argument("url", nargs="?")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or f"sqlite:///{tmp}/profile.sqlite3"
        services = build_services(url, [bench_hall()], chain_key=b"k" * 32, id_key=b"i" * 32)
        fill_history(url, args.history)
        fill_day(url, args.day_size)
        clock = StatementClock(services.db.engine)
        queue = services.queue
        for _ in range(20):  # warm the statement caches
            queue.issue("demo", IssueRequest("ASK"))
        profile = cProfile.Profile()
        clock.on = True
        started = time.perf_counter()
        if not args.plain:
            profile.enable()
        for _ in range(args.tickets // args.batch):
            issue_batch(services, args.batch)
        profile.disable()
        clock.on = False
        issue_ms = (time.perf_counter() - started) * 1000 / args.tickets
        issue_calls = _calls(profile) / args.tickets
        issue_sql = clock.top(args.tickets)
        issue_parts = [] if args.plain else _cumulative(profile, args.tickets, ISSUE_PARTS)
        clock.spent.clear()
        clock.count.clear()
        profile = cProfile.Profile()
        rounds = 0
        clock.on = True
        started = time.perf_counter()
        if not args.plain:
            profile.enable()
        while rounds < args.tickets:
            windows = [1 + (rounds + i) % BENCH_WINDOWS for i in range(args.batch)]
            called = services.db.run_together(
                [queue.call_next_job("demo", w, SYSTEM) for w in windows]
            )
            if any(c is None or isinstance(c, Exception) for c in called):
                break
            services.db.run_together(
                [queue.no_show_job("demo", w, c.id) for w, c in zip(windows, called, strict=True)]
            )
            rounds += len(windows)
        profile.disable()
        clock.on = False
        call_ms = (time.perf_counter() - started) * 1000 / max(rounds, 1)
        call_calls = _calls(profile) / max(rounds, 1)
        call_sql = clock.top(max(rounds, 1))
        hall = services.halls.get("demo")
        floors = 20
        started = time.perf_counter()
        for _ in range(floors):
            with services.db.read() as session:
                read_floor(session, hall, services.clock.now(), estimates=False)
        floor_ms = (time.perf_counter() - started) * 1000 / floors
        services.db.engine.dispose()
    print(f"day already holding {args.day_size:,} tickets; {args.batch} a transaction")
    print(f"issue: {issue_calls:,.0f} Python calls, {issue_ms:.2f} ms per ticket")
    print("\n".join(issue_parts))
    if args.sql:
        print("\n".join(issue_sql))
    print(f"call-next + no-show: {call_calls:,.0f} Python calls, {call_ms:.2f} ms per round")
    if args.sql:
        print("\n".join(call_sql))
    print(f"floor read (alert watch, no estimates): {floor_ms:.1f} ms")


if __name__ == "__main__":
    main()
