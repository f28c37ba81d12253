"""Event stream latency: from a call request returning to the event reaching each subscriber.

Measured with 10, 100 and 1,000 subscribers against the real server (its own uvicorn process,
SQLite unless --database is given), beside a bare `websockets` server in the same run that
broadcasts the very same message texts to the same number of subscribers when told to over a
control connection. The ratio hallq / bare is the figure; the absolute numbers depend on this
machine (and on the subscribers sharing its two cores with the servers).

    .venv/bin/python -m bench.bench_event_stream [--rounds 30] [--database URL]

Latency "after return": arrival time minus the moment the HTTP call (or the bare server's
acknowledgement) returned; an event that arrives before the request returns counts as 0.
Latency "after send": arrival minus the moment the request was sent.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import websockets

REPO = Path(__file__).resolve().parents[1]
HALL = "demo"
CONNECT_BATCH = 50


@dataclass
class Samples:
    after_return: list[float] = field(default_factory=list)
    after_send: list[float] = field(default_factory=list)
    spread: list[float] = field(default_factory=list)

    def add(self, arrivals: list[float], sent: float, returned: float) -> None:
        first = min(arrivals)
        for at in arrivals:
            self.after_return.append(max(0.0, at - returned))
            self.after_send.append(at - sent)
            self.spread.append(at - first)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def ms(value: float) -> str:
    return f"{value * 1000:.1f}"


# ----- subscribers (the same code for both servers) ---------------------------------------------


class Subscribers:
    """N websocket clients; each records when it received the message carrying `"seq":K`."""

    def __init__(self) -> None:
        self.sockets: list[websockets.ClientConnection] = []
        self.tasks: list[asyncio.Task[None]] = []
        self.arrivals: dict[int, list[float]] = {}
        self.complete: dict[int, asyncio.Event] = {}
        self.texts: dict[int, str] = {}

    async def open(self, url: str, count: int) -> None:
        for start in range(0, count, CONNECT_BATCH):
            batch = min(CONNECT_BATCH, count - start)
            opened = await asyncio.gather(
                *(websockets.connect(url, max_size=None, open_timeout=30) for _ in range(batch))
            )
            self.sockets.extend(opened)
        self.tasks = [asyncio.create_task(self._listen(ws)) for ws in self.sockets]

    def expect(self, seq: int) -> asyncio.Event:
        self.arrivals[seq] = []
        self.complete[seq] = asyncio.Event()
        return self.complete[seq]

    async def _listen(self, ws: websockets.ClientConnection) -> None:
        try:
            async for text in ws:
                now = time.perf_counter()
                assert isinstance(text, str)
                seq = _seq_of(text)
                arrivals = self.arrivals.get(seq)
                if arrivals is None:
                    continue
                arrivals.append(now)
                self.texts.setdefault(seq, text)
                if len(arrivals) == len(self.sockets):
                    self.complete[seq].set()
        except websockets.ConnectionClosed:
            pass

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        await asyncio.gather(*(ws.close() for ws in self.sockets), return_exceptions=True)


def _seq_of(text: str) -> int:
    # Only events carry a "type":"event"; snapshots and heartbeats are not timed.
    if '"type":"event"' not in text[:20]:
        return -1
    start = text.index('"seq":') + 6
    end = start
    while text[end].isdigit():
        end += 1
    return int(text[start:end])


# ----- servers ---------------------------------------------------------------------------------


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_http(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited with {process.returncode}")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit(f"{url} did not come up")


def prepare(database: str) -> dict[str, str]:
    """Migrate the database, sync the demo hall and open a duty lead's session (the calls
    need one; the event stream does not)."""
    from queue_server.api.app import build_services
    from queue_server.demo import demo_hall_config
    from queue_server.domain.access import Role
    from queue_server.domain.clock import SystemClock

    services = build_services(database, [demo_hall_config()], SystemClock())
    user = services.accounts.create_user(
        HALL, "BENCH1", "bench duty lead", Role.DUTY_LEAD, "bench password 1"
    )
    token = services.accounts.open_session(user.id).token
    services.db.engine.dispose()
    return {"Authorization": f"Bearer {token}"}


def start_hallq(database: str) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {
        **os.environ,
        "HALLQ_DATABASE_URL": database,
        "HALLQ_CONFIG": "",
        "HALLQ_LIVE_VOICE_AUTOBUILD": "false",
        "HALLQ_AUTO_MIGRATE": "false",
    }
    process = subprocess.Popen(
        [
            sys.executable, "-m", "uvicorn", "queue_server.api.main:app_from_env", "--factory",
            "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
            "--backlog", "4096",
        ],
        cwd=REPO,
        env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    _wait_http(f"{base}/api/v1/halls", process)
    return process, base


def start_bare() -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.bench_event_stream", "--bare-server", str(port)], cwd=REPO
    )
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            import socket

            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return process, port
        except OSError:
            time.sleep(0.05)
    raise SystemExit("bare server did not come up")


async def bare_server(port: int) -> None:
    """Subscribers on /sub; a publisher on /pub sends a text, it is broadcast, then 'ok'."""
    subscribers: set[websockets.ServerConnection] = set()

    async def handler(ws: websockets.ServerConnection) -> None:
        path = ws.request.path if ws.request else ""
        if path == "/pub":
            async for text in ws:
                websockets.broadcast(subscribers, text)
                await ws.send("ok")
            return
        subscribers.add(ws)
        try:
            await ws.wait_closed()
        finally:
            subscribers.discard(ws)

    async with websockets.serve(handler, "127.0.0.1", port, max_size=None, backlog=4096):
        await asyncio.Future()


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# ----- one run --------------------------------------------------------------------------------


@dataclass
class Result:
    subscribers: int
    hallq: Samples
    bare: Samples
    hallq_rss_mib: float
    bare_rss_mib: float


async def measure_hallq(
    base: str, headers: dict[str, str], pid: int, count: int, rounds: int
) -> tuple[Samples, list[str], float]:
    api = httpx.AsyncClient(base_url=f"{base}/api/v1/halls/{HALL}", headers=headers, timeout=30)
    for _ in range(rounds):
        response = await api.post("/tickets", json={"service": "SOC"})
        response.raise_for_status()
    head = (await api.get("/snapshot")).json()["last_seq"]
    subscribers = Subscribers()
    ws_base = base.replace("http", "ws", 1)
    await subscribers.open(f"{ws_base}/api/v1/halls/{HALL}/events?since={head}", count)
    await asyncio.sleep(0.5)  # every connection has caught up and is idle
    samples = Samples()
    texts: list[str] = []
    seq = head
    for _ in range(rounds):
        seq += 1
        done = subscribers.expect(seq)
        sent = time.perf_counter()
        called = await api.post("/windows/1/call-next")
        returned = time.perf_counter()
        called.raise_for_status()
        await asyncio.wait_for(done.wait(), 60)
        samples.add(subscribers.arrivals[seq], sent, returned)
        texts.append(subscribers.texts[seq])
        # Free the window for the next call (not timed, but delivered before going on).
        seq += 1
        freed = subscribers.expect(seq)
        ticket = called.json()["id"]
        (await api.post(f"/windows/1/tickets/{ticket}/no-show")).raise_for_status()
        await asyncio.wait_for(freed.wait(), 60)
    rss = rss_mib(pid)
    await subscribers.close()
    await api.aclose()
    return samples, texts, rss


async def measure_bare(port: int, pid: int, count: int, texts: list[str]) -> tuple[Samples, float]:
    subscribers = Subscribers()
    await subscribers.open(f"ws://127.0.0.1:{port}/sub", count)
    await asyncio.sleep(0.5)
    samples = Samples()
    async with websockets.connect(f"ws://127.0.0.1:{port}/pub", max_size=None) as publisher:
        for text in texts:
            seq = _seq_of(text)
            done = subscribers.expect(seq)
            sent = time.perf_counter()
            await publisher.send(text)
            await publisher.recv()
            returned = time.perf_counter()
            await asyncio.wait_for(done.wait(), 60)
            samples.add(subscribers.arrivals[seq], sent, returned)
    rss = rss_mib(pid)
    await subscribers.close()
    return samples, rss


async def run(counts: list[int], rounds: int, database: str) -> list[Result]:
    headers = prepare(database)
    hallq, base = start_hallq(database)
    bare, port = start_bare()
    results = []
    try:
        for count in counts:
            hallq_samples, texts, hallq_rss = await measure_hallq(
                base, headers, hallq.pid, count, rounds
            )
            bare_samples, bare_rss = await measure_bare(port, bare.pid, count, texts)
            results.append(Result(count, hallq_samples, bare_samples, hallq_rss, bare_rss))
            print(f"  {count} subscribers done", file=sys.stderr, flush=True)
    finally:
        for process in (hallq, bare):
            process.terminate()
            process.wait(timeout=15)
    return results


def _pair(values: list[float]) -> str:
    return f"{ms(percentile(values, 0.5))} / {ms(percentile(values, 0.99))}"


def _ratio(hallq: list[float], bare: list[float]) -> str:
    parts = []
    for q in (0.5, 0.99):
        h, b = percentile(hallq, q), percentile(bare, q)
        parts.append(f"{h / b:.1f}x" if b > 0 else "-")
    return " / ".join(parts)


def report(results: list[Result], rounds: int, database: str) -> str:
    head = "| subscribers | hallq p50 / p99 (ms) | bare p50 / p99 (ms) | ratio p50 / p99 |"
    rule = "|---:|---:|---:|---:|"
    lines = [
        f"{rounds} calls per size; database {database.split(':')[0]}; "
        f"Python {sys.version.split()[0]}; {os.cpu_count()} CPUs shared by servers and clients",
        "",
        "After the request returned (the call's HTTP response; the bare server's ack), 0 if the",
        "event arrived first:",
        "",
        head,
        rule,
    ]
    for r in results:
        lines.append(
            f"| {r.subscribers} | {_pair(r.hallq.after_return)} | {_pair(r.bare.after_return)} "
            f"| {_ratio(r.hallq.after_return, r.bare.after_return)} |"
        )
    lines += ["", "After the request was sent (hallq: HTTP + transaction + bus + fan-out):", "",
              head, rule]  # fmt: skip
    for r in results:
        lines.append(
            f"| {r.subscribers} | {_pair(r.hallq.after_send)} | {_pair(r.bare.after_send)} "
            f"| {_ratio(r.hallq.after_send, r.bare.after_send)} |"
        )
    lines += ["", "Fan-out spread (arrival minus the first subscriber's arrival, same call):", "",
              head, rule]  # fmt: skip
    for r in results:
        lines.append(
            f"| {r.subscribers} | {_pair(r.hallq.spread)} | {_pair(r.bare.spread)} "
            f"| {_ratio(r.hallq.spread, r.bare.spread)} |"
        )
    lines += ["", "| subscribers | server RSS hallq (MiB) | bare server RSS (MiB) |",
              "|---:|---:|---:|"]  # fmt: skip
    for r in results:
        lines.append(f"| {r.subscribers} | {r.hallq_rss_mib:.0f} | {r.bare_rss_mib:.0f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--subscribers", default="10,100,1000")
    parser.add_argument("--database", help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--bare-server", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare_server:
        asyncio.run(bare_server(args.bare_server))
        return
    counts = [int(c) for c in args.subscribers.split(",")]
    with tempfile.TemporaryDirectory(prefix="hallq-bench-") as scratch:
        database = args.database or f"sqlite:///{scratch}/bench.sqlite3"
        results = asyncio.run(run(counts, args.rounds, database))
    print(report(results, args.rounds, database))


if __name__ == "__main__":
    main()
