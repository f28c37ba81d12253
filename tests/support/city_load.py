"""Kiosks, clerks and hall boards of a whole city, all through the balancer.

One kiosk per hall takes a few numbers (each request repeated with the same Idempotency-Key
until it is answered), one clerk per staffed window calls, starts and finishes (re-reading
the window from the snapshot whenever an answer was lost) and one board per hall follows the
event stream. Every client retries what was not answered, the way the real apps do: no
connection, 502 and 504 (the balancer lost the host mid-request) and 503 (the host lost the
database, or the balancer has no host) all mean "not answered". Everything acknowledged,
every status, every outage each client saw and each call's way to its board is recorded for
`check_city`.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from hallq_client.events import EventStream, StreamEvent, StreamSnapshot
from tests.support.city import SERVICES, Template
from tests.support.invariants import check_database, check_streams

NOT_ANSWERED = frozenset({502, 503, 504})
RETRY = (httpx.TransportError, httpx.TimeoutException)
PATIENCE = 120.0


@dataclass
class Outage:
    client: str
    started: float
    ended: float | None = None


@dataclass
class Board:
    hall: str
    events: list[tuple[int, str, str | None]] = field(default_factory=list)
    snapshots: list[int] = field(default_factory=list)
    disconnects: int = 0
    stream: EventStream | None = None

    @property
    def last_seq(self) -> int:
        return (self.stream.last_seq or 0) if self.stream else 0


@dataclass
class CityRecord:
    acknowledged: dict[str, dict[str, str]] = field(default_factory=dict)  # hall -> id -> number
    statuses: Counter[int] = field(default_factory=Counter)
    served_by: Counter[str] = field(default_factory=Counter)
    requests: int = 0
    unavailable_without_retry_after: int = 0
    server_errors: list[str] = field(default_factory=list)
    outages: list[Outage] = field(default_factory=list)
    # (request sent, answer read) of the attempt that got each ticket acknowledged
    acked_at: list[tuple[float, float]] = field(default_factory=list)
    called_at: dict[str, float] = field(default_factory=dict)  # ticket -> call acknowledged
    on_board_at: dict[str, float] = field(default_factory=dict)  # ticket -> call on its board
    boards: dict[str, Board] = field(default_factory=dict)
    start_seqs: dict[str, int] = field(default_factory=dict)
    finished: int = 0

    @property
    def acked_count(self) -> int:
        return sum(len(t) for t in self.acknowledged.values())

    def latencies(self) -> list[float]:
        return sorted(
            max(0.0, self.on_board_at[t] - at)
            for t, at in self.called_at.items()
            if t in self.on_board_at
        )

    def last_back(self, since: float) -> float | None:
        """Seconds from `since` to the end of the last outage that was open at or began
        after it (None: nobody noticed anything)."""
        ends = [o.ended for o in self.outages if o.ended is not None and o.ended >= since]
        return max(ends) - since if ends else None


@dataclass(frozen=True)
class LoadShape:
    tickets_per_hall: int = 3
    halls: int | None = None  # the first N halls of the template (None: all)
    pause: float = 0.0  # seconds a kiosk waits between two numbers


class CityLoad:
    def __init__(
        self,
        balancer: str,
        template: Template,
        shape: LoadShape,
        *,
        fault: Callable[[], None] | None = None,
        fault_after: int = 0,
    ) -> None:
        self.base = balancer
        self.template = template
        self.shape = shape
        self.halls = template.halls[: shape.halls] if shape.halls else template.halls
        self.record = CityRecord()
        self.fault = fault
        self.fault_after = fault_after
        self.fault_at: float | None = None
        self._fault_task: asyncio.Task[None] | None = None
        self._kiosks_done: set[str] = set()
        self._http: httpx.AsyncClient | None = None

    # ----- plumbing --------------------------------------------------------------------------

    async def send(
        self, client: str, method: str, path: str, token: str | None = None,
        body: Any = None, **headers: str,
    ) -> httpx.Response:  # fmt: skip
        assert self._http is not None
        if token:
            headers["Authorization"] = f"Bearer {token}"
        loop = asyncio.get_running_loop()
        give_up = loop.time() + PATIENCE
        outage: Outage | None = None
        while True:
            sent = time.monotonic()
            try:
                response = await self._http.request(
                    method, f"{self.base}/api/v1{path}", json=body, headers=headers
                )
            except RETRY as exc:
                response = None
                if loop.time() > give_up:
                    raise AssertionError(f"{client}: {method} {path} unanswered") from exc
            if response is not None:
                response.extensions["hallq_sent_at"] = sent
                self._count(response)
                if response.status_code not in NOT_ANSWERED or loop.time() > give_up:
                    if outage is not None:
                        outage.ended = time.monotonic()
                    return response
            if outage is None:
                outage = Outage(client, time.monotonic())
                self.record.outages.append(outage)
            wait = 0.1
            if response is not None and response.status_code == 503:
                wait = min(float(response.headers.get("Retry-After", 1)), 0.5)
            await asyncio.sleep(wait)

    def _count(self, response: httpx.Response) -> None:
        record = self.record
        record.requests += 1
        record.statuses[response.status_code] += 1
        record.served_by[response.headers.get("X-Served-By", "?")] += 1
        if response.status_code == 503 and "Retry-After" not in response.headers:
            record.unavailable_without_retry_after += 1
        if response.status_code >= 500 and response.status_code not in NOT_ANSWERED:
            record.server_errors.append(f"{response.request.url.path}: {response.text[:200]}")

    async def snapshot(self, hall: str) -> dict[str, Any]:
        response = await self.send(f"board-{hall}", "GET", f"/halls/{hall}/snapshot")
        assert response.status_code == 200, response.text
        return dict(response.json())

    # ----- the run ---------------------------------------------------------------------------

    async def run(self) -> CityRecord:
        limits = httpx.Limits(max_connections=400, max_keepalive_connections=400)
        async with httpx.AsyncClient(timeout=30, limits=limits) as http:
            self._http = http
            for hall in self.halls:
                self.record.start_seqs[hall] = int((await self.snapshot(hall))["last_seq"])
                self.record.acknowledged[hall] = {}
            boards = [asyncio.create_task(self._board(hall)) for hall in self.halls]
            await asyncio.gather(*(self._sign_in(hall) for hall in self.halls))
            await asyncio.gather(
                *(self._kiosk(hall) for hall in self.halls),
                *(
                    self._clerk(hall, window)
                    for hall in self.halls
                    for window in self.template.tokens[hall].clerks
                ),
            )
            if self._fault_task is not None:
                await self._fault_task
            await self._drain()
            for task in boards:
                task.cancel()
            await asyncio.gather(*boards, return_exceptions=True)
        return self.record

    async def _drain(self, timeout: float = 60.0) -> None:
        finals = {hall: int((await self.snapshot(hall))["last_seq"]) for hall in self.halls}
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if all(self.record.boards[h].last_seq >= finals[h] for h in self.halls):
                return
            await asyncio.sleep(0.1)

    async def _board(self, hall: str) -> None:
        me = Board(hall)
        self.record.boards[hall] = me
        me.stream = EventStream(
            self.base, hall, since=self.record.start_seqs[hall], silence_timeout=3600,
            min_backoff=0.2, max_backoff=1.0,
        )  # fmt: skip
        async for message in me.stream:
            if isinstance(message, StreamEvent):
                me.events.append((message.seq, message.kind, message.ticket))
                if message.kind == "ticket.called" and message.ticket:
                    self.record.on_board_at.setdefault(message.ticket, time.monotonic())
            elif isinstance(message, StreamSnapshot):
                me.snapshots.append(message.seq)
            elif not message.connected:
                me.disconnects += 1

    async def _sign_in(self, hall: str) -> None:
        for window, token in self.template.tokens[hall].clerks.items():
            path = f"/halls/{hall}/windows/{window}/sign-in"
            response = await self.send(f"clerk-{hall}-{window}", "POST", path, token)
            assert response.status_code == 200, response.text

    async def _kiosk(self, hall: str) -> None:
        token = self.template.tokens[hall].kiosk
        for n in range(self.shape.tickets_per_hall):
            body = {"service": SERVICES[n % len(SERVICES)][0], "priority": "normal"}
            key = uuid.uuid4().hex
            while True:
                response = await self.send(
                    f"kiosk-{hall}", "POST", f"/halls/{hall}/tickets", token, body,
                    **{"Idempotency-Key": key},
                )  # fmt: skip
                if response.status_code in (200, 201):
                    break
                # 409: the same key's first attempt is still being answered somewhere.
                assert response.status_code == 409, response.text
                await asyncio.sleep(0.05)
            ticket = response.json()
            self.record.acknowledged[hall][ticket["id"]] = ticket["number"]
            self.record.acked_at.append((response.extensions["hallq_sent_at"], time.monotonic()))
            self._maybe_fault()
            if self.shape.pause:
                await asyncio.sleep(self.shape.pause)
        self._kiosks_done.add(hall)

    def _maybe_fault(self) -> None:
        if self.fault is None or self._fault_task is not None:
            return
        if self.record.acked_count >= self.fault_after:
            self.fault_at = time.monotonic()
            self._fault_task = asyncio.create_task(self._run_fault(self.fault))

    async def _run_fault(self, fault: Callable[[], None]) -> None:
        await asyncio.to_thread(fault)

    async def _clerk(self, hall: str, window: int) -> None:
        token = self.template.tokens[hall].clerks[window]
        client = f"clerk-{hall}-{window}"
        base = f"/halls/{hall}/windows/{window}"
        current: dict[str, Any] | None = None
        while True:
            if current is None:
                response = await self.send(client, "POST", f"{base}/call-next", token)
                if response.status_code == 200:
                    current = dict(response.json())
                    self.record.called_at.setdefault(current["id"], time.monotonic())
                elif response.status_code == 204:
                    if await self._hall_is_done(hall):
                        return
                    # Two hundred idle clerks asking ten times a second would be most of
                    # the bed's requests.
                    await asyncio.sleep(0.25)
                    continue
                else:  # an answer lost on its way back: what is at the window now?
                    current = await self._at_window(hall, window)
                    continue
            path = f"{base}/tickets/{current['id']}"
            step = {"called": ("start", None), "serving": ("finish", {"case_type": "immediate"})}
            action, body = step.get(current["state"], ("", None))
            if not action:
                current = None
                continue
            response = await self.send(client, "POST", f"{path}/{action}", token, body)
            if response.status_code != 200:
                current = await self._at_window(hall, window)
                continue
            after = dict(response.json())
            if after["state"] == "finished":
                self.record.finished += 1
            current = after if after["state"] in ("called", "serving") else None

    async def _at_window(self, hall: str, window: int) -> dict[str, Any] | None:
        for row in (await self.snapshot(hall))["windows"]:
            if row["number"] == window:
                return dict(row["current"]) if row.get("current") else None
        return None

    async def _hall_is_done(self, hall: str) -> bool:
        if hall not in self._kiosks_done:
            return False
        snap = await self.snapshot(hall)
        return not snap["waiting"]


def run_load(load: CityLoad) -> CityRecord:
    return asyncio.run(load.run())


def check_city(database_url: str, record: CityRecord) -> list[str]:
    """The invariants of every hall, no ticket called twice, every board saw every event
    (no snapshot fallback), every client answered properly."""
    problems: list[str] = []
    for hall, acknowledged in record.acknowledged.items():
        check = check_database(database_url, hall, acknowledged)
        problems += [f"{hall}: {p}" for p in check.problems]
        calls = Counter(e.ticket for e in check.log if e.kind == "ticket.called")
        problems += [f"{hall}: ticket {t} called {n} times" for t, n in calls.items() if n > 1]
        board = record.boards[hall]
        seen = [(board.events, board.snapshots)]
        streams = check_streams(check.log, record.start_seqs[hall], seen)
        problems += [f"{hall} board: {p}" for p in streams.problems]
    problems += [f"server error: {e}" for e in record.server_errors[:10]]
    if record.unavailable_without_retry_after:
        problems.append(f"{record.unavailable_without_retry_after} 503s without Retry-After")
    problems += [f"{o.client}: never answered again" for o in record.outages if o.ended is None]
    return problems


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]
