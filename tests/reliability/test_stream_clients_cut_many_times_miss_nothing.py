"""Event-stream clients (hallq_client EventStream) behind a network that cuts every
connection again and again while the hall is busy: each reconnects from its last sequence
number and ends with every event, in order, once, exactly as logged."""

from __future__ import annotations

import asyncio
import threading
import time

from hallq_client.events import EventStream, StreamEvent, StreamSnapshot
from queue_server.api.deps import Services
from queue_server.services.tickets import IssueRequest
from tests.reliability.cutting_proxy import CuttingProxy
from tests.support.invariants import check_streams, read_log
from tests.support.live_server import LiveServer

CLIENTS = 6
TICKETS = 150
CUT_EVERY = 0.15
# Tickets are paced, not issued as fast as they go: the busy part lasts TICKETS * PACE
# (1.8 s, a dozen cuts) however fast issuing gets (it got faster and the cuts fell below 10).
PACE = 0.012


async def follow(url: str, stop_at: list[int], seen: list[StreamEvent], snaps: list[int]) -> int:
    stream = EventStream(url, "test", since=0, min_backoff=0.02, max_backoff=0.1)
    disconnects = 0
    async for message in stream:
        if isinstance(message, StreamEvent):
            seen.append(message)
        elif isinstance(message, StreamSnapshot):
            snaps.append(message.seq)
        elif not message.connected:
            disconnects += 1
        if stop_at and (stream.last_seq or 0) >= stop_at[0]:
            await stream.aclose()
            return disconnects
    return disconnects


def test_stream_clients_cut_many_times_miss_nothing(server: LiveServer, services: Services) -> None:
    proxy = CuttingProxy(server.port)
    stop_at: list[int] = []
    done = threading.Event()

    def busy_hall() -> None:
        started = time.monotonic()
        for n in range(TICKETS):
            services.queue.issue("test", IssueRequest(("SOC", "TAX", "RES")[n % 3]))
            time.sleep(max(0.0, started + (n + 1) * PACE - time.monotonic()))
        done.set()

    def cutter() -> None:
        while not done.is_set():
            time.sleep(CUT_EVERY)
            proxy.cut()

    async def main() -> list[tuple[list[StreamEvent], list[int], int]]:
        results = [([], [], 0) for _ in range(CLIENTS)]  # type: ignore[var-annotated]
        tasks = [
            asyncio.create_task(follow(proxy.url, stop_at, results[i][0], results[i][1]))
            for i in range(CLIENTS)
        ]
        await asyncio.sleep(0.3)  # every client connected before the hall gets busy
        threading.Thread(target=busy_hall, daemon=True).start()
        threading.Thread(target=cutter, daemon=True).start()
        while not done.is_set():
            await asyncio.sleep(0.05)
        with services.db.read() as session:
            stop_at.append(len(read_log(session, "test")))
        # Room for one silent connection per client: a client that hears nothing for its
        # silence timeout (40 s) takes the connection for dead and reconnects; one CI run saw
        # a client wait that long once the cuts stopped, and the old 60 s cut its recovery off.
        counts = await asyncio.wait_for(asyncio.gather(*tasks), timeout=120)
        return [(r[0], r[1], c) for r, c in zip(results, counts, strict=True)]

    try:
        results = asyncio.run(main())
    finally:
        proxy.close()
    with services.db.read() as session:
        log = read_log(session, "test")
    assert len(log) == TICKETS
    assert proxy.cuts >= 10
    assert all(disconnects >= 5 for _, _, disconnects in results), [r[2] for r in results]
    streams = check_streams(log, 0, [(seen, snaps) for seen, snaps, _ in results])
    assert not streams.problems, "\n".join(streams.problems)
