"""What the floor's alert watch costs the hall's busiest path: tickets issued per second with
the watch running (as in production) against the same server without it, in the same run.

The watch judges the floor after committed events (at most every 0.5 s) and on a tick; a
busy hall's issuing must not pay for it. Rounds alternate between the two servers so that a
change in the machine's load hits both.

    .venv/bin/python -m bench.bench_alert_watch [--requests 300] [--rounds 3] [--waiting 300]
        [--postgres URL]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import uuid

import httpx
from sqlalchemy import create_engine, text

from bench.bench_queue_api import Figure, drive, start_server, tokens
from bench.queue_server_app import BENCH_WINDOWS, UNCAPPED

CONCURRENCY = 10


async def fill(url: str, kiosk: dict[str, str], waiting: int) -> None:
    """Queues for the alert rules to judge: tickets waiting across the services."""
    async with httpx.AsyncClient(base_url=url, timeout=60, headers=kiosk) as http:
        for n in range(waiting):
            code = UNCAPPED[n % len(UNCAPPED)]
            answer = await http.post("/api/v1/halls/demo/tickets", json={"service": code})
            assert answer.status_code == 201, answer.text


async def bench_engine(name: str, urls: dict[str, str], args: argparse.Namespace) -> list[str]:
    servers = {}
    try:
        for label, database_url in urls.items():
            extra = ("--no-alert-watch",) if label == "without" else ()
            proc, url = start_server(database_url, *extra)
            kiosk, _ = tokens(database_url, BENCH_WINDOWS)
            servers[label] = (proc, url, kiosk)
            await fill(url, kiosk, args.waiting)
        figures: dict[str, list[Figure]] = {"with": [], "without": []}
        for round_no in range(args.rounds):
            for label in ("with", "without") if round_no % 2 == 0 else ("without", "with"):
                _, url, kiosk = servers[label]
                figures[label].append(
                    await drive(
                        url,
                        "/api/v1/halls/demo/tickets",
                        {"service": "ASK"},
                        args.requests,
                        CONCURRENCY,
                        f"issue x{CONCURRENCY} {label} the watch",
                        kiosk,
                    )
                )
    finally:
        for proc, _, _ in servers.values():
            proc.terminate()
            proc.wait(timeout=10)

    def median_rate(label: str) -> float:
        return statistics.median(f.rate for f in figures[label])

    def median_p99(label: str) -> float:
        return statistics.median(f.pct(0.99) for f in figures[label])

    with_rate, without_rate = median_rate("with"), median_rate("without")
    return [
        f"| {name} | {with_rate:.1f}/s | {median_p99('with'):.0f} ms | {without_rate:.1f}/s | "
        f"{median_p99('without'):.0f} ms | {with_rate / without_rate:.2f} |"
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--waiting", type=int, default=300)
    parser.add_argument("--postgres", default=os.environ.get("HALLQ_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    lines = [
        "| engine | issue rate with the watch | p99 | without | p99 | with / without |",
        "|---|---|---|---|---|---|",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        urls = {label: f"sqlite:///{tmp}/{label}.sqlite3" for label in ("with", "without")}
        lines += asyncio.run(bench_engine("SQLite (WAL file)", urls, args))
    if args.postgres:
        admin = create_engine(args.postgres.replace("postgresql://", "postgresql+psycopg://"))
        schemas = {label: f"bench_{label}_{uuid.uuid4().hex[:6]}" for label in ("with", "without")}
        sep = "&" if "?" in args.postgres else "?"
        with admin.begin() as conn:
            for schema in schemas.values():
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            urls = {
                label: f"{args.postgres}{sep}options=-csearch_path%3D{schema}"
                for label, schema in schemas.items()
            }
            lines += asyncio.run(bench_engine("PostgreSQL", urls, args))
        finally:
            with admin.begin() as conn:
                for schema in schemas.values():
                    conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    print("\n".join(lines))
    print(
        f"\n{args.requests} requests x {args.rounds} rounds each, {args.waiting} tickets "
        f"waiting before the first round, {os.cpu_count()} cores"
    )


if __name__ == "__main__":
    main()
