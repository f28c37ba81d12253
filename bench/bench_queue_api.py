"""Tickets issued and calls made per second over HTTP, beside a bare INSERT+COMMIT endpoint.

Each figure is measured against bench/bare_app.py (bare FastAPI + uvicorn, one Core INSERT +
COMMIT through the same engine factory and database) in the same run; the ratio is the
figure that matters. The load comes from wrk (bench/wrk/*.lua) in its own process.

    .venv/bin/python -m bench.bench_queue_api [--seconds 5] [--postgres URL]
        [--day-sizes 1000,50000] [--engines sqlite,postgres] [--history 150000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text

from bench.queue_server_app import BENCH_WINDOWS, UNCAPPED, bench_hall
from bench.targets import EngineRun, Pairs, engine_verdicts, flat_day_verdicts


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


# Kept for bench/bench_alert_watch.py, which drives the server from its own process.
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


WRK_DIR = Path(__file__).parent / "wrk"


@dataclass
class Cell:
    label: str
    requests: int
    seconds: float
    p50: float
    p99: float
    errors: int
    cpu_ms: float | None = None  # the server process's CPU per answered request
    loop_ms: float | None = None  # of which its main thread's: uvicorn's event loop

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    @property
    def cpu(self) -> str:
        if self.cpu_ms is None:
            return "n/a"
        if self.loop_ms is None:
            return f"{self.cpu_ms:.2f} ms"
        return f"{self.cpu_ms:.2f} ms (loop {self.loop_ms:.2f})"


def cpu_seconds(pid: int, thread: int | None = None) -> float | None:
    """User + system CPU of a process so far, all its threads, or of one of them (Linux /proc;
    None elsewhere). Per request it is steadier than a rate on a shared machine: another
    tenant's load slows the wall clock, not the work a request costs. The main thread of a
    uvicorn server is its event loop (HTTP parsing, middlewares, dependencies, the answer);
    the others are the hall's writer, worker threads and listeners: where a request's cost
    lies, the loop or the database work, shows in the split."""
    stat = Path(f"/proc/{pid}/stat" if thread is None else f"/proc/{pid}/task/{thread}/stat")
    try:
        fields = stat.read_text().rpartition(")")[2].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _per_request(before: float | None, after: float | None, answered: int) -> float | None:
    """CPU milliseconds a request between two readings (None where /proc is not)."""
    if before is None or after is None:
        return None
    return (after - before) * 1000 / max(answered, 1)


def wrk(
    url: str,
    script: str,
    connections: int,
    seconds: int,
    env: dict[str, str],
    *,
    warm_up: bool = True,
    server_pid: int | None = None,
) -> Cell:
    """One wrk run in its own process (the load generator's cost stays out of the server's
    process), after a warm-up run of 1 s. The rate counts answered requests below 400 only."""
    threads = min(connections, 20)
    run_env = {**os.environ, "HALLQ_WRK_DIR": str(WRK_DIR), **env}
    command = [
        "wrk",
        "-t",
        str(threads),
        "-c",
        str(connections),
        "--latency",
        "-s",
        str(WRK_DIR / script),
        url,
    ]
    if warm_up:
        subprocess.run(
            [*command[:1], "-d", "1s", *command[1:]],
            env={**run_env, "HALLQ_WRK_RUN": uuid.uuid4().hex},
            check=True,
            capture_output=True,
            timeout=60,
        )
    cpu_before = cpu_seconds(server_pid) if server_pid else None
    loop_before = cpu_seconds(server_pid, server_pid) if server_pid else None
    done = subprocess.run(
        [*command[:1], "-d", f"{seconds}s", "--timeout", "30s", *command[1:]],
        # Its own run id: the measured run's Idempotency-Keys are not the warm-up's.
        env={**run_env, "HALLQ_WRK_RUN": uuid.uuid4().hex},
        check=True,
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    )
    cpu_after = cpu_seconds(server_pid) if server_pid else None
    loop_after = cpu_seconds(server_pid, server_pid) if server_pid else None
    line = next(x for x in done.stdout.splitlines() if x.startswith("HALLQ_WRK "))
    figures = json.loads(line.removeprefix("HALLQ_WRK "))
    answered = figures["requests"] - figures["refused"]
    cpu_ms = _per_request(cpu_before, cpu_after, answered)
    loop_ms = _per_request(loop_before, loop_after, answered)
    return Cell(
        script,
        answered,
        figures["seconds"],
        figures["p50_ms"],
        figures["p99_ms"],
        figures["refused"] + figures["failed"],
        cpu_ms,
        loop_ms,
    )


def start_bare(database_url: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.bare_app", database_url, str(port)],
        env={**os.environ, "PYTHONPATH": os.getcwd()},
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            httpx.get(f"{url}/ready", timeout=1)
            return proc, url
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("bare server did not start")


def _dealt_with(
    n: int, day: date, prefix: str, seq_no: int, issued: datetime, called: datetime, done: datetime
) -> dict[str, Any]:
    """A ticket dealt with at one of the windows: the uncapped services and the windows in
    turn, nine in ten finished, one in ten a no-show."""
    return {
        "id": uuid.uuid4().hex,
        "hall_id": "demo",
        "service_code": UNCAPPED[n % len(UNCAPPED)],
        "business_day": day,
        "prefix": prefix,
        "seq_no": seq_no,
        "number": f"{prefix}{seq_no:05d}",
        "priority": "normal",
        "state": "no_show" if n % 10 == 0 else "finished",
        "recall_count": 0,
        "issued_at": issued,
        "order_at": issued,
        "called_at": called,
        "started_at": None if n % 10 == 0 else called,
        "finished_at": done,
        "window_no": 1 + n % BENCH_WINDOWS,
    }


def _today() -> tuple[date, datetime]:
    from queue_server.domain.clock import SystemClock
    from queue_server.services.halls import HallRegistry

    now = SystemClock().now()
    return HallRegistry([bench_hall()]).get("demo").calendar.business_day(now), now


def _write_tickets(database_url: str, rows: Iterator[dict[str, Any]]) -> None:
    """Rows straight into the tickets table, 5,000 an INSERT. On PostgreSQL then the
    statistics, as autovacuum takes them within a minute of such a change: without them the
    planner may take any index whose leading columns match."""
    from queue_server.storage.engine import make_engine
    from queue_server.storage.tables import Ticket

    engine = make_engine(database_url)
    try:
        with engine.begin() as conn:
            while batch := list(itertools.islice(rows, 5000)):
                conn.execute(Ticket.__table__.insert(), batch)
            if conn.dialect.name == "postgresql":
                conn.execute(text("ANALYZE tickets"))
    finally:
        engine.dispose()


def fill_day(database_url: str, tickets: int) -> None:
    """`tickets` tickets already issued and dealt with today, straight into the tables, so the
    issue path is measured with a day that has grown: spread over the uncapped services and the
    windows, nine in ten finished after five minutes at the window, one in ten no-show."""
    if tickets <= 0:
        return
    day, now = _today()
    before = now - timedelta(minutes=5)
    _write_tickets(
        database_url,
        (_dealt_with(n, day, "Z", n, before, before, now) for n in range(1, tickets + 1)),
    )


def fill_history(database_url: str, tickets: int, per_day: int = 600) -> None:
    """`tickets` tickets of past days, `per_day` a day before today and back, dealt with as
    `fill_day` deals with today's: a hall with a history, whose windows have called and
    finished thousands of tickets. Only the tickets table: the issue and the call read no
    past events."""
    if tickets <= 0:
        return
    today, now = _today()

    def row(n: int) -> dict[str, Any]:
        back = 1 + n // per_day
        done = now - timedelta(days=back, minutes=n % per_day // 2)
        issued, called = done - timedelta(minutes=20), done - timedelta(minutes=5)
        day = today - timedelta(days=back)
        return _dealt_with(n, day, "Y", n % per_day + 1, issued, called, done)

    _write_tickets(database_url, (row(n) for n in range(tickets)))


def double_calls(database_url: str) -> int:
    """Tickets called more than once by call-next (the bench never recalls)."""
    from queue_server.storage.engine import make_engine

    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            return int(
                conn.execute(
                    text(
                        "SELECT count(*) FROM (SELECT ticket_id FROM events"
                        " WHERE kind = 'ticket.called'"
                        " GROUP BY ticket_id HAVING count(*) > 1) AS twice"
                    )
                ).scalar_one()
            )
    finally:
        engine.dispose()


def release_windows(url: str, database_url: str, clerks: dict[int, dict[str, str]]) -> None:
    """Marks no-show, by each window's clerk over the API, the tickets a call run left called:
    wrk stops between a call-next and its no-show, and a busy window refuses the next run's
    calls. A request wrk gave up on at its end may still be running: let it finish first, and
    take a 409 (the ticket was moved since) as done."""
    from queue_server.storage.engine import make_engine

    time.sleep(1)
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            left = conn.execute(
                text("SELECT id, window_no FROM tickets WHERE state = 'called'")
            ).all()
    finally:
        engine.dispose()
    for ticket_id, window in left:
        answer = httpx.post(
            f"{url}/api/v1/halls/demo/windows/{window}/tickets/{ticket_id}/no-show",
            headers=clerks[int(window)],
            timeout=30,
        )
        if answer.status_code >= 400 and answer.status_code != 409:
            raise RuntimeError(f"no-show of {ticket_id} at window {window}: {answer.text}")


def _median_cell(cells: list[Cell]) -> Cell:
    """The runs of one cell as one row: each figure's median (the rate by requests)."""
    ordered = sorted(cells, key=lambda c: c.rate)
    middle = ordered[len(ordered) // 2]
    cpus = sorted(c.cpu_ms for c in cells if c.cpu_ms is not None)
    loops = sorted(c.loop_ms for c in cells if c.loop_ms is not None)
    return Cell(
        middle.label,
        middle.requests,
        middle.seconds,
        statistics.median(c.p50 for c in cells),
        statistics.median(c.p99 for c in cells),
        sum(c.errors for c in cells),
        cpus[len(cpus) // 2] if cpus else None,
        loops[len(loops) // 2] if loops else None,
    )


def bench_engine(
    name: str,
    database_url: str,
    seconds: int,
    day_size: int,
    history: int = 0,
    repeat: int = 1,
) -> tuple[list[str], EngineRun]:
    proc, url = start_server(database_url)
    bare_proc, bare_url = start_bare(database_url)
    kiosk, clerks = tokens(database_url, BENCH_WINDOWS)
    fill_history(database_url, history)
    fill_day(database_url, day_size)
    kiosk_env = {"HALLQ_KIOSK_TOKEN": kiosk["Authorization"].removeprefix("Bearer ")}
    clerk_env = {
        "HALLQ_CLERK_TOKENS": ",".join(
            clerks[n]["Authorization"].removeprefix("Bearer ") for n in sorted(clerks)
        )
    }
    runs = f", the median of {repeat} alternating pairs of runs" if repeat > 1 else ""
    lines = [
        f"\n**{name}** ({day_size:,} tickets already issued today"
        + (f", {history:,} on earlier days" if history else "")
        + f"{runs})\n",
        "| clients | bare INSERT/s | hallq issue/s | ratio | issue p50 | issue p99 | errors "
        "| server CPU a request (event loop): bare / hallq |",
        "|---|---|---|---|---|---|---|---|",
    ]
    issued: dict[int, Pairs] = {}
    try:
        for clients in (1, 10, 50):
            bares: list[Cell] = []
            issues: list[Cell] = []
            for _ in range(repeat):
                bares.append(
                    wrk(bare_url, "bare.lua", clients, seconds, {}, server_pid=bare_proc.pid)
                )
                issues.append(
                    wrk(url, "issue.lua", clients, seconds, kiosk_env, server_pid=proc.pid)
                )
            pairs = Pairs(
                tuple(c.rate for c in issues),
                tuple(c.rate for c in bares),
                tuple(c.p99 for c in issues),
            )
            issued[clients] = pairs
            bare, issue = _median_cell(bares), _median_cell(issues)
            lines.append(
                f"| {clients} | {statistics.median(pairs.bare):,.0f} | {pairs.rate:,.0f} | "
                f"{pairs.ratio_text()} | {issue.p50:.1f} ms | {issue.p99:.1f} ms | "
                f"{issue.errors + bare.errors} | {bare.cpu} / {issue.cpu} |"
            )
        bares, calls = [], []
        for run_no in range(repeat):
            if run_no:
                release_windows(url, database_url, clerks)
            bares.append(
                wrk(bare_url, "bare.lua", BENCH_WINDOWS, seconds, {}, server_pid=bare_proc.pid)
            )
            # No warm-up run: one cut off between call-next and no-show leaves its window busy.
            calls.append(
                wrk(
                    url,
                    "call.lua",
                    BENCH_WINDOWS,
                    seconds,
                    clerk_env,
                    warm_up=False,
                    server_pid=proc.pid,
                )
            )
        doubled = double_calls(database_url)
        round_pairs = Pairs(tuple(c.rate for c in calls), tuple(c.rate for c in bares))
        bare, call = _median_cell(bares), _median_cell(calls)
        lines += [
            "",
            "| windows | bare INSERT/s | call-next + no-show requests/s | ratio | p50 | p99 | "
            "errors | double calls | server CPU a request (event loop): bare / hallq |",
            "|---|---|---|---|---|---|---|---|---|",
            f"| {BENCH_WINDOWS} | {statistics.median(round_pairs.bare):,.0f} | "
            f"{round_pairs.rate:,.0f} | {round_pairs.ratio_text()} | {call.p50:.1f} ms | "
            f"{call.p99:.1f} ms | {call.errors + bare.errors} | {doubled} | "
            f"{bare.cpu} / {call.cpu} |",
        ]
        run = EngineRun(
            "sqlite" if database_url.startswith("sqlite") else "postgres",
            issued,
            round_pairs,
            doubled,
        )
        lines += ["", "Targets (issue 22):", *engine_verdicts(run)]
    finally:
        for running in (proc, bare_proc):
            running.terminate()
            running.wait(timeout=10)
    return lines, run


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=5, help="measured seconds per cell")
    parser.add_argument("--postgres", default=os.environ.get("HALLQ_TEST_POSTGRES_URL"))
    parser.add_argument(
        "--day-sizes",
        default="0",
        help="tickets already issued today, comma-separated (e.g. 1000,50000)",
    )
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument(
        "--history",
        type=int,
        default=0,
        help="tickets dealt with on earlier days, 600 a day (e.g. 150000: a busy year)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="runs of each cell, the bare INSERT and hallq alternating; the ratio printed is "
        "the median of the pairs' (3: a verdict one slow bare run cannot flip)",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing (apt-get install wrk; scripts/system-deps.sh)")
    out: list[str] = []
    engines = args.engines.split(",")
    # engine -> tickets already issued today -> clients -> issue/s, for the flat-day target
    by_day: dict[str, dict[int, dict[int, float]]] = {}

    def record(lines: list[str], run: EngineRun, day_size: int) -> None:
        out.extend(lines)
        by_day.setdefault(run.engine, {})[day_size] = {n: p.rate for n, p in run.issue.items()}

    for day_size in (int(x) for x in args.day_sizes.split(",")):
        if "sqlite" in engines:
            with tempfile.TemporaryDirectory() as tmp:
                record(
                    *bench_engine(
                        "SQLite (WAL file)",
                        f"sqlite:///{tmp}/bench.sqlite3",
                        args.seconds,
                        day_size,
                        args.history,
                        args.repeat,
                    ),
                    day_size,
                )
        if args.postgres and "postgres" in engines:
            schema = f"bench_{uuid.uuid4().hex[:8]}"
            admin = create_engine(args.postgres.replace("postgresql://", "postgresql+psycopg://"))
            with admin.begin() as conn:
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            sep = "&" if "?" in args.postgres else "?"
            try:
                record(
                    *bench_engine(
                        "PostgreSQL",
                        f"{args.postgres}{sep}options=-csearch_path%3D{schema}",
                        args.seconds,
                        day_size,
                        args.history,
                        args.repeat,
                    ),
                    day_size,
                )
            finally:
                with admin.begin() as conn:
                    conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
                admin.dispose()
    for engine, rates in by_day.items():
        flat = flat_day_verdicts(rates)
        if flat:
            out += ["", f"Issue cost as the day grows, {engine} (issue 22):", *flat]
    print("\n".join(out))
    runs = f", {args.repeat} runs of each" if args.repeat > 1 else ""
    print(f"\nwrk, {args.seconds} s per cell after 1 s warm-up{runs}, {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
