"""Tickets issued and calls made per second over HTTP, beside a bare INSERT+COMMIT endpoint.

Each figure is measured against a bare endpoint on the same stack (FastAPI + uvicorn +
SQLAlchemy + the same database) in the same run; the ratio is the figure that matters.

    .venv/bin/python -m bench.bench_queue_api [--requests 600] [--postgres URL]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass

import httpx
from sqlalchemy import create_engine, text

from bench.queue_server_app import BENCH_WINDOWS, UNCAPPED, bench_hall


@dataclass
class Figure:
    label: str
    requests: int
    seconds: float
    latencies: list[float]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def pct(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def tokens(database_url: str, windows: int) -> tuple[dict[str, str], dict[int, dict[str, str]]]:
    """A kiosk's headers and one signed-in clerk's per window, made in the server's database
    (the server made the schema): the figures include the access check of every request."""
    from queue_server.domain.access import DeviceKind, Role
    from queue_server.domain.clock import SystemClock
    from queue_server.services.accounts import AccountService
    from queue_server.services.attendance import AttendanceService
    from queue_server.services.database import Database
    from queue_server.services.device_tokens import DeviceTokens
    from queue_server.services.halls import HallRegistry
    from queue_server.storage.engine import make_engine

    engine = make_engine(database_url)
    try:
        db, clock = Database(engine), SystemClock()
        kiosk = DeviceTokens(db, clock).add("demo", DeviceKind.KIOSK, name="bench-kiosk").token
        accounts = AccountService(db, clock)
        attendance = AttendanceService(db, HallRegistry([bench_hall()]), clock)
        clerks = {}
        for number in range(1, windows + 1):
            user = accounts.create_user("demo", f"bench-{number}", "bench", Role.CLERK, None)
            attendance.sign_in("demo", number, user.id)
            clerks[number] = bearer(accounts.open_session(user.id).token)
        return bearer(kiosk), clerks
    finally:
        engine.dispose()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def start_server(database_url: str, *extra: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.queue_server_app", database_url, str(port), *extra],
        env={**os.environ, "PYTHONPATH": os.getcwd()},
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            httpx.get(f"{url}/api/v1/halls", timeout=1)
            return proc, url
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("bench server did not start")


async def drive(
    url: str,
    path: str,
    body: dict | None,
    total: int,
    concurrency: int,
    label: str,
    headers: dict[str, str] | None = None,
) -> Figure:
    latencies: list[float] = []
    remaining = total
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits, headers=headers) as http:

        async def worker() -> None:
            nonlocal remaining
            while remaining > 0:
                remaining -= 1
                started = time.perf_counter()
                response = await http.post(path, json=body)
                latencies.append(time.perf_counter() - started)
                assert response.status_code in (200, 201), response.text

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return Figure(label, total, time.perf_counter() - started, latencies)


async def call_windows(
    url: str, windows: int, total: int, clerks: dict[int, dict[str, str]]
) -> Figure:
    """`windows` clerks each calling next then marking no-show, `total` requests in all.

    Both requests count towards the rate (each is one write transaction, like the bare
    INSERT); the latencies are those of call-next alone."""
    latencies: list[float] = []
    remaining = total
    async with httpx.AsyncClient(base_url=url, timeout=60) as http:

        async def window(number: int) -> None:
            nonlocal remaining
            base = f"/api/v1/halls/demo/windows/{number}"
            headers = clerks[number]
            while remaining > 0:
                remaining -= 1
                started = time.perf_counter()
                response = await http.post(f"{base}/call-next", headers=headers)
                latencies.append(time.perf_counter() - started)
                if response.status_code == 204:
                    continue
                ticket = response.json()["id"]
                remaining -= 1
                await http.post(f"{base}/tickets/{ticket}/no-show", headers=headers)

        started = time.perf_counter()
        await asyncio.gather(*(window(n) for n in range(1, windows + 1)))
        return Figure(
            f"call-next + no-show x{windows}", total, time.perf_counter() - started, latencies
        )


def row(figure: Figure, bare: Figure) -> str:
    return (
        f"| {figure.label} | {figure.rate:,.0f}/s | {figure.pct(0.5):.1f} ms | "
        f"{figure.pct(0.99):.1f} ms | {bare.rate:,.0f}/s | {figure.rate / bare.rate:.2f} |"
    )


async def bench_engine(name: str, database_url: str, requests: int) -> list[str]:
    proc, url = start_server(database_url)
    kiosk, clerks = tokens(database_url, BENCH_WINDOWS)
    lines = [
        f"\n**{name}**\n",
        "| workload | rate | p50 | p99 | bare INSERT rate | ratio |",
        "|---|---|---|---|---|---|",
    ]
    try:
        for concurrency in (1, 10, 50):
            bare = await drive(url, "/bench/bare", None, requests, concurrency, "bare")
            issue = await drive(
                url,
                "/api/v1/halls/demo/tickets",
                {"service": "ASK"},
                requests,
                concurrency,
                f"issue ticket x{concurrency}",
                kiosk,
            )
            lines.append(row(issue, bare))
        # Fill the queues of the services without a daily cap for the windows to call.
        async with httpx.AsyncClient(base_url=url, timeout=60, headers=kiosk) as http:
            for n in range(requests):
                code = UNCAPPED[n % len(UNCAPPED)]
                await http.post("/api/v1/halls/demo/tickets", json={"service": code})
        bare = await drive(url, "/bench/bare", None, requests, 20, "bare")
        lines.append(row(await call_windows(url, BENCH_WINDOWS, requests, clerks), bare))
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--postgres", default=os.environ.get("HALLQ_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    out: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        out += asyncio.run(
            bench_engine("SQLite (WAL file)", f"sqlite:///{tmp}/bench.sqlite3", args.requests)
        )
    if args.postgres:
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(args.postgres.replace("postgresql://", "postgresql+psycopg://"))
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        sep = "&" if "?" in args.postgres else "?"
        try:
            out += asyncio.run(
                bench_engine(
                    "PostgreSQL",
                    f"{args.postgres}{sep}options=-csearch_path%3D{schema}",
                    args.requests,
                )
            )
        finally:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    print("\n".join(out))
    print(f"\n{args.requests} requests per workload, {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
