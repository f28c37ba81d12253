"""A compressed busy day driven through a real server over HTTP, for reliability checks.

Kiosks take numbers as fast as the server answers (a share of them double-tapped: the same
request sent twice at once with one Idempotency-Key, as a kiosk does when a finger bounces),
clerks at every window call, start, finish, recall, mark no-shows, hold and transfer, window
displays take a share of ratings (some bad, with a phone number for the follow-up) and many
event-stream subscribers follow the hall. Every party retries through server crashes and
database outages the way the real apps do: a kiosk repeats its request with the same key
until it is answered, a clerk re-reads the window from the snapshot when unsure.

The simulator's live driver (queue_server/simulation/live.py) paces a realistic day in
simulated minutes; this driver wants the opposite, the most requests per second, so it is
separate. It records what was acknowledged, for the invariants in tests/support/invariants.
"""

from __future__ import annotations

import asyncio
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from hallq_client.events import EventStream, StreamEvent, StreamSnapshot
from queue_server.api.app import build_services
from queue_server.api.deps import Services
from queue_server.config.loader import parse_hall_config
from queue_server.config.models import HallConfig
from queue_server.domain.access import DeviceKind, Role
from queue_server.domain.clock import SystemClock
from queue_server.services.device_tokens import DeviceTokens
from queue_server.simulation.provision import provision
from tests.support.auth import FAST_HASHER

HALL = "load"
SERVICES = (("SOC", "A"), ("TAX", "B"), ("RES", "C"), ("HOU", "D"))
# Personal data fed in where the API accepts it; none of it may come out where it should not.
VISITOR_PHONE = "13812345678"
VISITOR_ID_NUMBER = "110101199003074573"  # valid check character: bookings verify it
RETRY = (httpx.TransportError, httpx.TimeoutException)
PATIENCE = 180.0  # seconds a client keeps retrying before the run fails
# Answers that retrying cannot change: a bug in the driver or the server, so the run stops.
REFUSED = frozenset({400, 401, 403, 413, 500})


def load_hall_toml(windows: int) -> str:
    """Open around the clock, every window serving every service (no daily caps); the first
    service can be booked online (the way ID numbers enter the hall)."""
    lines = [
        "[hall]",
        f'id = "{HALL}"',
        'name = { zh = "压力测试大厅", en = "Load hall" }',
        'timezone = "Asia/Shanghai"',
        'sessions = [["00:00", "24:00"]]',
        "working_weekdays = [1, 2, 3, 4, 5, 6, 7]",
        "issue_cutoff_minutes = 0",
        "",
    ]
    for code, prefix in SERVICES:
        lines += [
            "[[services]]",
            f'code = "{code}"',
            f'name = {{ zh = "业务{prefix}", en = "Service {prefix}" }}',
            f'prefix = "{prefix}"',
            *(["slot_capacity = 50"] if code == SERVICES[0][0] else []),
            "[services.publics]",
            f'content = {{ zh = "业务{prefix}" }}',
            "time_limit_days = 0",
            "",
        ]
    weights = ", ".join(f"{code} = 1" for code, _ in SERVICES)
    for number in range(1, windows + 1):
        lines += [
            "[[windows]]",
            f"number = {number}",
            f'name = {{ zh = "{number}号窗口" }}',
            f"services = {{ {weights} }}",
            "",
        ]
    return "\n".join(lines)


@dataclass(frozen=True)
class DayShape:
    tickets: int
    windows: int
    subscribers: int
    kiosks: int = 8
    double_tap_share: float = 0.3
    seed: int = 10


@dataclass
class Tokens:
    kiosks: list[str]
    clerks: dict[int, str]
    displays: dict[int, str]
    duty_lead: str


@dataclass
class Prepared:
    config_path: Path
    config: HallConfig
    tokens: Tokens


def prepare(database_url: str, shape: DayShape, folder: Path) -> Prepared:
    """Migrate, write the hall's TOML and make every token the day needs (real services)."""
    text = load_hall_toml(shape.windows)
    config_path = folder / "load-hall.toml"
    config_path.write_text(text)
    config = parse_hall_config(text, str(config_path))
    services: Services = build_services(
        database_url, [config], SystemClock(), password_hasher=FAST_HASHER
    )
    try:
        credentials = provision(services.db, services.clock, config)
        devices = DeviceTokens(services.db, services.clock)
        kiosks = [
            devices.add(HALL, DeviceKind.KIOSK, name=f"load-kiosk-{n}").token
            for n in range(shape.kiosks)
        ]
        lead = services.accounts.create_user(HALL, "LEAD1", "值班长", Role.DUTY_LEAD, None)
        tokens = Tokens(
            kiosks=kiosks,
            clerks=dict(credentials.clerks),
            displays=dict(credentials.displays),
            duty_lead=services.accounts.open_session(lead.id).token,
        )
    finally:
        services.db.engine.dispose()
    return Prepared(config_path, config, tokens)


@dataclass
class Subscriber:
    # (seq, kind, ticket) of each event received: 100 subscribers of a 10,000-ticket day
    # receive some 4 million events, too many to keep whole.
    events: list[tuple[int, str, str | None]] = field(default_factory=list)
    snapshots: list[int] = field(default_factory=list)
    disconnects: int = 0
    stream: EventStream | None = None

    @property
    def last_seq(self) -> int:
        return self.stream.last_seq or 0 if self.stream else 0


@dataclass
class DayRecord:
    acknowledged: dict[str, str] = field(default_factory=dict)  # ticket id -> number
    double_taps: int = 0
    double_tap_mismatches: list[str] = field(default_factory=list)
    requests: int = 0
    retries: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    unavailable_without_retry_after: int = 0
    server_errors: list[str] = field(default_factory=list)
    finished: int = 0
    ratings: int = 0
    subscribers: list[Subscriber] = field(default_factory=list)

    def count(self, response: httpx.Response) -> None:
        self.requests += 1
        self.statuses[response.status_code] = self.statuses.get(response.status_code, 0) + 1
        if response.status_code == 503 and "Retry-After" not in response.headers:
            self.unavailable_without_retry_after += 1
        if response.status_code >= 500 and response.status_code != 503:
            self.server_errors.append(f"{response.request.url.path}: {response.text[:200]}")


class BusyDay:
    """Run with `await day.run()`; `on_progress(issued)` lets a test inject a fault mid-day."""

    def __init__(
        self,
        base_url: str,
        prepared: Prepared,
        shape: DayShape,
        *,
        on_progress: Callable[[int], None] | None = None,
        stream_backoff: float = 0.2,
    ) -> None:
        self.base = base_url
        self.api = f"{base_url}/api/v1/halls/{HALL}"
        self.tokens = prepared.tokens
        self.shape = shape
        self.record = DayRecord()
        self.random = random.Random(shape.seed)
        self._to_issue = shape.tickets
        self._kiosks_busy = shape.kiosks
        self._on_progress = on_progress
        self._stream_backoff = stream_backoff
        self._http: httpx.AsyncClient | None = None
        self.start_seq = 0

    # ----- plumbing --------------------------------------------------------------------------

    async def send(
        self, method: str, path: str, token: str | None, body: Any = None, **headers: str
    ) -> httpx.Response:
        """One request, repeated while the server is away or answers 503 (what the apps do)."""
        assert self._http is not None
        if token:
            headers["Authorization"] = f"Bearer {token}"
        loop = asyncio.get_running_loop()
        give_up = loop.time() + PATIENCE
        while True:
            try:
                response = await self._http.request(
                    method, self.api + path, json=body, headers=headers
                )
            except RETRY as exc:
                self.record.retries += 1
                if loop.time() > give_up:
                    raise AssertionError(f"{method} {path}: server away for {PATIENCE} s") from exc
                await asyncio.sleep(0.1)
                continue
            self.record.count(response)
            if response.status_code == 503 and loop.time() < give_up:
                self.record.retries += 1
                await asyncio.sleep(min(float(response.headers.get("Retry-After", 1)), 0.5))
                continue
            if response.status_code in REFUSED:
                raise AssertionError(f"{method} {path} refused: {response.text[:300]}")
            return response

    async def snapshot(self) -> dict[str, Any]:
        response = await self.send("GET", "/snapshot", None)
        return dict(response.json())

    # ----- the day -----------------------------------------------------------------------------

    async def run(self) -> DayRecord:
        limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
        async with httpx.AsyncClient(timeout=60, limits=limits) as http:
            self._http = http
            self.start_seq = int((await self.snapshot())["last_seq"])
            subscribers = [
                asyncio.create_task(self._subscribe(Subscriber()))
                for _ in range(self.shape.subscribers)
            ]
            for window in self.tokens.clerks:
                if window <= self.shape.windows:
                    await self.send(
                        "POST", f"/windows/{window}/sign-in", self.tokens.clerks[window]
                    )
            workers = [
                *(self._kiosk(n) for n in range(self.shape.kiosks)),
                *(self._window(w) for w in range(1, self.shape.windows + 1)),
            ]
            await asyncio.gather(*workers)
            final = int((await self.snapshot())["last_seq"])
            await self._drain(final)
            for task in subscribers:
                task.cancel()
            await asyncio.gather(*subscribers, return_exceptions=True)
        return self.record

    async def _drain(self, final: int, timeout: float = 120.0) -> None:
        """Wait until every subscriber has seen the last event (or give up: the check fails)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            if all(s.last_seq >= final for s in self.record.subscribers):
                return
            await asyncio.sleep(0.1)

    async def _subscribe(self, me: Subscriber) -> None:
        self.record.subscribers.append(me)
        me.stream = EventStream(
            self.base,
            HALL,
            since=self.start_seq,
            min_backoff=self._stream_backoff,
            max_backoff=self._stream_backoff * 4,
        )
        async for message in me.stream:
            if isinstance(message, StreamEvent):
                me.events.append((message.seq, message.kind, message.ticket))
            elif isinstance(message, StreamSnapshot):
                me.snapshots.append(message.seq)
            elif not message.connected:
                me.disconnects += 1

    async def _kiosk(self, number: int) -> None:
        token = self.tokens.kiosks[number]
        while self._to_issue > 0:
            self._to_issue -= 1
            service = self.random.choice(SERVICES)[0]
            priority = "green" if self.random.random() < 0.05 else "normal"
            body = {"service": service, "priority": priority}
            key = uuid.uuid4().hex
            if self.random.random() < self.shape.double_tap_share:
                self.record.double_taps += 1
                first, second = await asyncio.gather(
                    self._issue(token, body, key), self._issue(token, body, key)
                )
                if first["id"] != second["id"]:
                    self.record.double_tap_mismatches.append(f"{first['id']} {second['id']}")
            else:
                await self._issue(token, body, key)
            if self._on_progress is not None:
                self._on_progress(len(self.record.acknowledged))
        self._kiosks_busy -= 1

    async def _issue(self, token: str, body: dict[str, str], key: str) -> dict[str, Any]:
        while True:
            response = await self.send("POST", "/tickets", token, body, **{"Idempotency-Key": key})
            if response.status_code in (200, 201):
                ticket = dict(response.json())
                self.record.acknowledged[ticket["id"]] = ticket["number"]
                return ticket
            if response.status_code != 409:
                raise AssertionError(f"issuing answered {response.status_code}: {response.text}")
            # A double tap's twin may still hold the key's row lock: ask again.
            await asyncio.sleep(0.05)

    async def _window(self, window: int) -> None:
        clerk = self.tokens.clerks[window]
        base = f"/windows/{window}"
        current: dict[str, Any] | None = None
        while True:
            if current is None:
                response = await self.send("POST", f"{base}/call-next", clerk)
                if response.status_code == 200:
                    current = dict(response.json())
                elif response.status_code == 204:
                    if await self._day_is_over():
                        return
                    await asyncio.sleep(0.05)
                    continue
                else:  # unsure (e.g. a call whose answer a crash swallowed): ask the hall
                    current = await self._at_window(window)
                    continue
            ticket = f"{base}/tickets/{current['id']}"
            current = await self._serve(window, ticket, current, clerk)

    async def _serve(
        self, window: int, path: str, ticket: dict[str, Any], clerk: str
    ) -> dict[str, Any] | None:
        """One step for the ticket at the window; returns what is at the window afterwards."""
        draw = self.random.random()
        if ticket["state"] == "called":
            if draw < 0.04 and ticket.get("recall_count", 0) == 0:
                response = await self.send("POST", f"{path}/recall", clerk)
            elif draw < 0.08:
                response = await self.send("POST", f"{path}/no-show", clerk)
            else:
                response = await self.send("POST", f"{path}/start", clerk)
        elif ticket["state"] == "serving":
            if draw < 0.03:
                response = await self.send("POST", f"{path}/hold", clerk, {})
                if response.status_code == 200:
                    response = await self.send("POST", f"{path}/return", clerk)
            elif draw < 0.06 and ticket.get("transferred_from") is None:
                others = [c for c, _ in SERVICES if c != ticket["service"]]
                body = {"service": self.random.choice(others), "note": "需到其他窗口办理"}
                response = await self.send("POST", f"{path}/transfer", clerk, body)
                return None if response.status_code in (200, 201) else await self._at_window(window)
            else:
                response = await self.send(
                    "POST", f"{path}/finish", clerk, {"case_type": "immediate"}
                )
                if response.status_code == 200:
                    self.record.finished += 1
                    await self._maybe_rate(window, ticket["id"])
                    return None
        else:
            return None
        if response.status_code != 200:
            return await self._at_window(window)
        after = dict(response.json())
        return after if after["state"] in ("called", "serving") else None

    async def _maybe_rate(self, window: int, ticket_id: str) -> None:
        draw = self.random.random()
        if draw > 0.1:
            return
        body: dict[str, Any] = {"level": "very_satisfied"}
        if draw < 0.02:
            body = {"level": "dissatisfied", "reasons": ["long_wait"], "phone": VISITOR_PHONE}
        path = f"/windows/{window}/tickets/{ticket_id}/rating"
        response = await self.send("POST", path, self.tokens.displays[window], body)
        if response.status_code == 201:
            self.record.ratings += 1

    async def _at_window(self, window: int) -> dict[str, Any] | None:
        for row in (await self.snapshot())["windows"]:
            if row["number"] == window:
                current = row.get("current")
                return dict(current) if current else None
        return None

    async def _day_is_over(self) -> bool:
        if self._kiosks_busy > 0:
            return False
        snap = await self.snapshot()
        return not snap["waiting"] and all(w.get("current") is None for w in snap["windows"])


def run_day(
    base_url: str,
    prepared: Prepared,
    shape: DayShape,
    on_progress: Callable[[int], None] | None = None,
) -> tuple[BusyDay, DayRecord]:
    day = BusyDay(base_url, prepared, shape, on_progress=on_progress)
    record = asyncio.run(day.run())
    return day, record
