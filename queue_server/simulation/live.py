"""The live driver: a running server's hall comes alive, in real time or faster.

Simulated visitors take numbers at a kiosk and simulated clerks call, start, finish and
pause at their windows, all through the HTTP API (hallq_client), paced so that one simulated
minute takes 60/speed real seconds; the quiet hours between sessions are skipped. The server
keeps its own clock: at speed 10 the hall board sees a day's traffic in a tenth of the day.

Each role uses its own credentials when the server asks for them: the kiosk device token for
issuing, each window's clerk login for that window.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Collection, Mapping
from contextlib import suppress
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

import httpx

from hallq_client import ApiError, HallqClient, ServerUnreachable
from queue_server.config.models import HallConfig
from queue_server.domain.clock import Clock
from queue_server.queueing.actions import (
    SIMULATED_PAUSE,
    Action,
    Called,
    CallNext,
    Finish,
    Issue,
    Issued,
    NoShow,
    Pause,
    Rate,
    Recall,
    Resume,
    SignIn,
    SignOut,
    Start,
)
from queue_server.queueing.demand import RATING_LEVELS, HallModel
from queue_server.queueing.engine import Engine, run_day
from queue_server.queueing.planning import DayPlan, Shift, minutes_of, plan_day
from queue_server.queueing.records import DayResult
from queue_server.settings import process_clock

log = logging.getLogger("hallq.simulate")

IDLE_POLL_MINUTES = 1.0  # idle windows press "next" this often: people issue tickets too
# Real seconds, like the real devices' reporters: under the floor's offline threshold (150 s
# by default), and the server keeps a report as a heartbeat at most once a minute.
HEALTH_EVERY_SECONDS = 60.0
REFUSED_AT_KIOSK = {"hall_closed", "daily_cap_reached", "issuing_stopped"}


@dataclass(frozen=True)
class Credentials:
    """Bearer tokens by role; a role without its own uses `token` (or none).

    `kiosk`: a kiosk device token, to issue. `clerks`: each window's clerk session token, to
    sign in to that window and work it; or `clerk_logins`, (staff number, password) by window,
    to log in with first. `displays`: each window display's device token, to rate.
    `kiosk_device` and `display_devices`: the names those tokens were issued to; given, the
    simulated devices report their health as real ones do (`HttpHall.report_health`).
    """

    token: str | None = None
    kiosk: str | None = None
    clerks: Mapping[int, str] = field(default_factory=dict)
    clerk_logins: Mapping[int, tuple[str, str]] = field(default_factory=dict)
    displays: Mapping[int, str] = field(default_factory=dict)
    kiosk_device: str | None = None
    display_devices: Mapping[int, str] = field(default_factory=dict)

    def for_kiosk(self) -> str | None:
        return self.kiosk or self.token

    def for_window(self, window: int) -> str | None:
        return self.clerks.get(window, self.token)


class HttpHall:
    """Performs the engine's actions over the API, each role with its own client."""

    def __init__(
        self,
        base_url: str,
        hall: str,
        credentials: Credentials | None = None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = base_url
        self.hall = hall
        self.credentials = credentials or Credentials()
        self.transport = transport
        self.run = uuid.uuid4().hex[:8]
        self._clients: dict[str | None, HallqClient] = {}
        self._logged_in: dict[int, HallqClient] = {}
        self._refusals: set[tuple[str, int | None, str]] = set()

    def client(self, token: str | None) -> HallqClient:
        if token not in self._clients:
            self._clients[token] = HallqClient(
                self.base_url, self.hall, token=token, transport=self.transport
            )
        return self._clients[token]

    def kiosk(self) -> HallqClient:
        return self.client(self.credentials.for_kiosk())

    def window(self, number: int) -> HallqClient:
        if number in self._logged_in:
            return self._logged_in[number]
        return self.client(self.credentials.for_window(number))

    async def log_in(self) -> None:
        """Log the clerks given by staff number and password in, one client each."""
        for window, (staff_no, password) in self.credentials.clerk_logins.items():
            if window not in self._logged_in:
                client = HallqClient(self.base_url, self.hall, transport=self.transport)
                await client.login(staff_no, password)
                self._logged_in[window] = client

    async def aclose(self) -> None:
        for client in [*self._clients.values(), *self._logged_in.values()]:
            await client.aclose()

    async def report_health(self) -> None:
        """One health report from each simulated device that has a name, as the kiosk's and
        the displays' own reporters send: without them the floor monitor shows the demo's
        devices as never reporting."""
        credentials = self.credentials
        reports: list[tuple[str | None, str, dict[str, Any]]] = []
        if credentials.kiosk_device is not None:
            body = {"kind": "kiosk", "printer": {"state": "ok", "detail": "simulated"}}
            reports.append((credentials.kiosk, credentials.kiosk_device, body))
        for window, name in sorted(credentials.display_devices.items()):
            reports.append((credentials.displays.get(window), name, {"kind": "display"}))
        for token, name, body in reports:
            try:
                await self.client(token).report_device_status(name, body)
            except (ApiError, ServerUnreachable) as exc:
                log.warning("device %s could not report its health: %s", name, exc)

    async def keep_reporting_health(self, every: float = HEALTH_EVERY_SECONDS) -> None:
        while True:
            await self.report_health()
            await asyncio.sleep(every)

    async def execute(self, action: Action) -> Any:
        try:
            return await self._execute(action)
        except ApiError as exc:
            if isinstance(action, Issue) and exc.code in REFUSED_AT_KIOSK:
                return None
            # An idle window asks every simulated minute: say each kind of refusal once.
            key = (type(action).__name__, getattr(action, "window", None), exc.code)
            level = logging.DEBUG if key in self._refusals else logging.WARNING
            self._refusals.add(key)
            log.log(level, "%s refused: %s", type(action).__name__, exc)
        except ServerUnreachable as exc:
            log.warning("%s not done: %s", type(action).__name__, exc)
        return None

    async def _execute(self, action: Action) -> Any:
        if isinstance(action, Issue):
            visitor = action.visitor
            ticket = await self.kiosk().issue_ticket(
                visitor.service,
                visitor.priority.value,
                idempotency_key=f"sim-{self.run}-{action.at:%Y%m%d}-{visitor.key}",
            )
            return Issued(ticket["id"], ticket["number"])
        client = self.window(action.window)
        if isinstance(action, CallNext):
            called = await client.call_next(action.window)
            if called is None:
                return None
            return Called(called["id"], called["number"], called["service"])
        if isinstance(action, Recall):
            return await client.ticket_action(action.window, action.ticket, "recall")
        if isinstance(action, Start):
            return await client.ticket_action(action.window, action.ticket, "start")
        if isinstance(action, NoShow):
            return await client.ticket_action(action.window, action.ticket, "no-show")
        if isinstance(action, Finish):
            body = {"case_type": action.case_type.value}
            return await client.ticket_action(action.window, action.ticket, "finish", body)
        if isinstance(action, Pause):
            return await client.pause(action.window, action.reason, action.note)
        if isinstance(action, Resume):
            return await client.resume(action.window)
        if isinstance(action, SignIn):
            return await client.sign_in(action.window)
        if isinstance(action, SignOut):
            return await client.sign_out(action.window)
        if isinstance(action, Rate):
            display = self.credentials.displays.get(action.window)
            if display is None:
                return None  # only a window's display may rate: without its token, no rating
            level = RATING_LEVELS[action.score].value
            return await self.client(display).rate(action.window, action.ticket, level)
        raise TypeError(f"unknown action {action!r}")

    async def tidy(self, *, sign_out: bool = False, leave: Collection[int] = ()) -> None:
        """Undo what an interrupted run left at the windows it works: its own pauses and the
        cases left open; with `sign_out`, its clerks leave the windows too. The windows in
        `leave` are a person's: nothing there is the simulator's to undo."""
        snapshot = await self.kiosk().snapshot()
        for window in snapshot["windows"]:
            number = window["number"]
            if number in leave:
                continue
            client = self.window(number)
            current = window.get("current")
            try:
                if window["paused"] or current:
                    await _quietly(client.sign_in(number))
                # The note is not public: the window's own day view tells its clerk.
                ours = window["paused"] and (
                    (await client.window_today(number)).get("pause_note") == SIMULATED_PAUSE
                )
                if ours:
                    await client.resume(number)
                if current and current["state"] == "called":
                    await client.ticket_action(number, current["id"], "start")
                if current and current["state"] in ("called", "serving"):
                    await client.ticket_action(
                        number, current["id"], "finish", {"case_type": "immediate"}
                    )
                if sign_out and (number in self.credentials.clerks or number in self._logged_in):
                    await _quietly(client.sign_out(number))
            except (ApiError, ServerUnreachable) as exc:
                log.warning("could not tidy window %s: %s", number, exc)


async def _quietly(call: Awaitable[Any]) -> None:
    """Signing in or out where that is already so (or not allowed) changes nothing."""
    try:
        await call
    except ApiError as exc:
        log.info("%s", exc)


class Pacer:
    """Maps simulated minutes to real time at `speed`, skipping the hours between sessions."""

    def __init__(
        self,
        plan: DayPlan,
        speed: float,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.plan = plan
        self.speed = speed
        self.sleep = sleep
        self.monotonic = monotonic
        self.origin_minute = plan.start
        self.origin_real = monotonic()

    def now(self) -> float:
        return self.origin_minute + (self.monotonic() - self.origin_real) * self.speed / 60

    async def until(self, minute: float) -> None:
        current = self.now()
        if minute <= current:
            return
        if not self.plan.in_session(current):
            opening = min((a for a, _ in self.plan.sessions if a > current), default=None)
            if opening is not None and opening <= minute:
                self.origin_minute, self.origin_real = opening, self.monotonic()
                current = opening
        await self.sleep((minute - current) * 60 / self.speed)


async def drive_live(engine: Engine, hall: HttpHall, pacer: Pacer) -> DayResult:
    answer: Any = None
    try:
        while True:
            action = engine.send(answer)
            await pacer.until(minutes_of(action.at, pacer.plan.midnight))
            answer = await hall.execute(action)
    except StopIteration as done:
        result: DayResult = done.value
        return result


def live_plan(
    config: HallConfig,
    model: HallModel,
    day: date,
    seed: int | str,
    start: float | None,
    *,
    leave: Collection[int] = (),
) -> DayPlan:
    """A working day from `start` (minutes since midnight) on; the date itself is nominal.

    Without `start` the day begins at its first visitor, not at the opening: someone watching
    the hall sees it move at once instead of clerks waiting for the morning's first arrival.
    The windows in `leave` are left to people: no simulated clerk signs in there.
    """
    calendar = config.hall.calendar()
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    plan = plan_day(config, day, model, seed)
    joined = start is None
    if start is None and plan.visitors:
        start = plan.visitors[0].arrives
    start = plan.start if start is None else max(start, plan.start)
    windows = tuple(w for w in plan.windows if w.number not in leave)
    if joined:
        # The watcher joins a day already under way: every clerk of its first session is at
        # the window when the first visitor comes, as the demo's printout promises. A clerk
        # drawn late for that session would leave a window empty for minutes of real time.
        windows = tuple(replace(w, shifts=_at_work_from(w.shifts, start)) for w in windows)
    return DayPlan(
        day=plan.day,
        timezone=plan.timezone,
        sessions=plan.sessions,
        start=start,
        windows=windows,
        visitors=tuple(v for v in plan.visitors if v.arrives >= start),
        clerks=plan.clerks,
        fallback_handling=plan.fallback_handling,
    )


def _at_work_from(shifts: tuple[Shift, ...], start: float) -> tuple[Shift, ...]:
    """The first shift still running at `start` begins by `start`; later ones keep their draw."""
    if not shifts:
        return shifts
    first = next((i for i, (_, end) in enumerate(shifts) if end > start), None)
    if first is None:
        return shifts
    sign_in, end = shifts[first]
    return (*shifts[:first], (min(sign_in, start), end), *shifts[first + 1 :])


async def run_live(
    hall: HttpHall,
    config: HallConfig,
    model: HallModel,
    *,
    speed: float = 10.0,
    seed: int | str = 0,
    days: int = 1,
    start: float | None = None,
    first_day: date | None = None,
    clock: Clock | None = None,
    on_day: Callable[[DayPlan, DayResult], None] | None = None,
    leave: Collection[int] = (),
) -> list[DayResult]:
    """Play `days` simulated days (0: until cancelled) against the server, one after another.

    The first day is today's date by `clock` unless given; the dates only name the days.
    The windows in `leave` are a person's: the simulator neither staffs nor tidies them.
    """
    results: list[DayResult] = []
    day = first_day or config.hall.calendar().business_day((clock or process_clock()).now())
    await hall.log_in()
    await hall.tidy(leave=leave)
    health = asyncio.create_task(hall.keep_reporting_health(), name="hallq-sim-health")
    try:
        index = 0
        while days == 0 or index < days:
            plan = live_plan(config, model, day, seed, start if index == 0 else None, leave=leave)
            result = await drive_live(
                run_day(plan, idle_poll=IDLE_POLL_MINUTES), hall, Pacer(plan, speed)
            )
            results.append(result)
            if on_day is not None:
                on_day(plan, result)
            day = plan.day + timedelta(days=1)
            index += 1
    finally:
        health.cancel()
        with suppress(asyncio.CancelledError):
            await health
        try:
            await hall.tidy(sign_out=True, leave=leave)
        except ServerUnreachable as exc:
            log.warning("could not tidy the hall: %s", exc)
        await hall.aclose()
    return results
