"""Python function calls and wall time per ticket issued and per call round, in-process through
the service layer (no HTTP). Call counts do not depend on the machine's load, so they compare
two versions of the code on a busy machine where rates do not.

    .venv/bin/python -m bench.profile_issue [--tickets 300] [DATABASE_URL]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import tempfile
import time

from bench.queue_server_app import BENCH_WINDOWS, bench_hall
from queue_server.api.app import build_services
from queue_server.services.tickets import IssueRequest


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=300)
    parser.add_argument("url", nargs="?")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or f"sqlite:///{tmp}/profile.sqlite3"
        services = build_services(url, [bench_hall()], chain_key=b"k" * 32, id_key=b"i" * 32)
        queue = services.queue
        for _ in range(20):  # warm the statement caches
            queue.issue("demo", IssueRequest("ASK"))
        profile = cProfile.Profile()
        started = time.perf_counter()
        profile.enable()
        for _ in range(args.tickets):
            queue.issue("demo", IssueRequest("ASK"))
        profile.disable()
        issue_ms = (time.perf_counter() - started) * 1000 / args.tickets
        issue_calls = pstats.Stats(profile).total_calls / args.tickets  # type: ignore[attr-defined]
        profile = cProfile.Profile()
        rounds = 0
        started = time.perf_counter()
        profile.enable()
        while rounds < args.tickets:
            window = 1 + rounds % BENCH_WINDOWS
            called = queue.call_next("demo", window)
            if called is None:
                break
            queue.no_show("demo", window, called.id)
            rounds += 1
        profile.disable()
        call_ms = (time.perf_counter() - started) * 1000 / max(rounds, 1)
        call_calls = pstats.Stats(profile).total_calls / max(rounds, 1)  # type: ignore[attr-defined]
        services.db.engine.dispose()
    print(f"issue: {issue_calls:,.0f} Python calls, {issue_ms:.1f} ms per ticket")
    print(f"call-next + no-show: {call_calls:,.0f} Python calls, {call_ms:.1f} ms per round")


if __name__ == "__main__":
    main()
