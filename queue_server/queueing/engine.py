"""The discrete-event simulation of a hall day, free of any I/O.

`run_day` is a generator: it yields each action (take a number, call next, start, finish ...)
in time order and receives the hall's answer, so one engine serves every driver: in memory
(`memory`), through the service layer (`inprocess`) or over HTTP in real time (`live`). Which
ticket a window calls is always the hall's answer, never the engine's guess.

Clerk behaviour: the clerk signs in before each session (a few late) and signs out once
the session is over and nothing they serve waits (a session's queue is served to the end);
a staffed, free window calls at once when anything it serves waits, and an idle one wakes
when a visitor arrives for one of its services; a visitor who does not come is recalled once
and then marked no-show; a clerk who meant to pause does so at the next free moment.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any

from queue_server.domain.tickets import CaseType, Priority
from queue_server.queueing.actions import (
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
from queue_server.queueing.planning import DayPlan, PauseIntent, Visitor, WindowPlan
from queue_server.queueing.records import (
    NO_SHOW,
    SERVED,
    TURNED_AWAY,
    DayResult,
    PauseRecord,
    TicketRecord,
)

Engine = Generator[Action, Any, DayResult]
Steps = Generator[Action, Any, None]

# Heap ranks at one instant: arrivals first, so a window freed at the same moment finds them.
_ARRIVAL, _WINDOW = 0, 1


@dataclass
class _Window:
    plan: WindowPlan
    pauses: deque[PauseIntent]
    present: bool = False  # a clerk is signed in
    shift_end: float = float("inf")  # the end of the session the clerk signed in for
    idle: bool = False  # present, free, and nothing waited at the last call
    paused: bool = False
    poll_pending: bool = False
    # The current visit: its ticket and the steps still to do, as (minute, action kind).
    ticket: str | None = None
    steps: deque[tuple[float, str]] = field(default_factory=deque)


class _Day:
    def __init__(self, plan: DayPlan, idle_poll: float | None) -> None:
        self.plan = plan
        self.idle_poll = idle_poll
        self.heap: list[tuple[float, int, int, str, Any]] = []
        self.seq = 0
        self.windows = {
            w.number: _Window(w, deque(sorted(w.pauses, key=lambda p: p.at))) for w in plan.windows
        }
        self.records: dict[str, TicketRecord] = {}
        self.by_ticket: dict[str, Visitor] = {}
        self.pauses: list[PauseRecord] = []
        self.foreign = 0

    def push(self, minute: float, rank: int, kind: str, data: Any) -> None:
        self.seq += 1
        heapq.heappush(self.heap, (minute, rank, self.seq, kind, data))

    def run(self) -> Engine:
        for visitor in self.plan.visitors:
            self.push(visitor.arrives, _ARRIVAL, "arrive", visitor)
        for number, window in self.windows.items():
            if not window.plan.shifts:
                window.present = True
                self.push(max(self.plan.start, window.plan.free_at), _WINDOW, "ready", number)
            for sign_in, session_end in window.plan.shifts:
                if session_end > self.plan.start:
                    self.push(
                        max(sign_in, self.plan.start), _WINDOW, "sign_in", (number, session_end)
                    )
                    self.push(session_end, _WINDOW, "session_end", number)
        while self.heap:
            minute, _rank, _seq, kind, data = heapq.heappop(self.heap)
            if kind == "arrive":
                yield from self.arrive(data, minute)
            elif kind == "ready":
                yield from self.ready(self.windows[data], minute)
            elif kind == "poll":
                window = self.windows[data]
                window.poll_pending = False
                if window.idle:
                    yield from self.try_call(window, minute)
            elif kind == "step":
                yield from self.step(self.windows[data], minute)
            elif kind == "resume":
                yield from self.resume(self.windows[data], minute)
            elif kind == "sign_in":
                number, session_end = data
                yield from self.sign_in(self.windows[number], minute, session_end)
            elif kind == "session_end":
                window = self.windows[data]
                if window.idle:
                    yield from self.sign_out(window, minute)
        return DayResult(tuple(self.records.values()), tuple(self.pauses), self.foreign)

    # ----- visitors ----------------------------------------------------------------------

    def arrive(self, visitor: Visitor, minute: float) -> Steps:
        at = self.plan.instant(minute)
        record = TicketRecord(visitor.key, visitor.service, visitor.priority, at)
        self.records[visitor.key] = record
        issued: Issued | None = yield Issue(at, visitor)
        if issued is None:
            record.outcome = TURNED_AWAY
            return
        record.ticket, record.number = issued.ticket, issued.number
        self.by_ticket[issued.ticket] = visitor
        idle = [
            w
            for w in self.windows.values()
            if w.idle and w.plan.services.get(visitor.service, 0) > 0
        ]
        # The window whose main business this is presses "next" first.
        idle.sort(key=lambda w: (-w.plan.services[visitor.service], w.plan.number))
        for window in idle:
            if (yield from self.try_call(window, minute)):
                break

    # ----- windows -----------------------------------------------------------------------

    def sign_in(self, window: _Window, minute: float, session_end: float) -> Steps:
        window.shift_end = session_end
        if window.present:  # still serving the last session's queue
            return
        yield SignIn(self.plan.instant(minute), window.plan.number)
        window.present = True
        if window.ticket is None and not window.paused:
            yield from self.ready(window, minute)

    def sign_out(self, window: _Window, minute: float) -> Steps:
        yield SignOut(self.plan.instant(minute), window.plan.number)
        window.present = window.idle = False

    def ready(self, window: _Window, minute: float) -> Steps:
        due: PauseIntent | None = None
        while window.pauses and window.pauses[0].at <= minute:
            due = window.pauses.popleft()
        if due is not None and self.plan.in_session(minute):
            at = self.plan.instant(minute)
            yield Pause(at, window.plan.number, self.plan.clerks.pause_reason)
            end = minute + due.minutes
            self.pauses.append(PauseRecord(window.plan.number, at, self.plan.instant(end)))
            window.idle, window.paused = False, True
            self.push(end, _WINDOW, "resume", window.plan.number)
            return
        yield from self.try_call(window, minute)

    def resume(self, window: _Window, minute: float) -> Steps:
        yield Resume(self.plan.instant(minute), window.plan.number)
        window.paused = False
        yield from self.try_call(window, minute)

    def try_call(self, window: _Window, minute: float) -> Generator[Action, Any, bool]:
        called: Called | None = yield CallNext(self.plan.instant(minute), window.plan.number)
        if called is None:
            window.idle = True
            if window.plan.shifts and minute >= window.shift_end:
                yield from self.sign_out(window, minute)
                return False
            if self.idle_poll and self.plan.in_session(minute) and not window.poll_pending:
                window.poll_pending = True
                self.push(minute + self.idle_poll, _WINDOW, "poll", window.plan.number)
            return False
        window.idle = False
        visitor = self.by_ticket.get(called.ticket) or self.foreign_visitor(called, minute)
        record = self.records.get(visitor.key)
        if record is not None:
            record.window = window.plan.number
            record.called_at = self.plan.instant(minute)
        window.ticket = called.ticket
        clerks = self.plan.clerks
        if visitor.no_show:
            window.steps = deque(
                [
                    (minute + clerks.recall_after_minutes, "recall"),
                    (minute + clerks.no_show_after_minutes, "no_show"),
                ]
            )
        else:
            start = minute + visitor.walk
            window.steps = deque([(start, "start"), (start + visitor.handling, "finish")])
        self.push(window.steps[0][0], _WINDOW, "step", window.plan.number)
        return True

    def step(self, window: _Window, minute: float) -> Steps:
        _, kind = window.steps.popleft()
        ticket = window.ticket
        assert ticket is not None
        visitor = self.by_ticket[ticket]
        record = self.records.get(visitor.key)
        at = self.plan.instant(minute)
        number = window.plan.number
        if kind == "recall":
            yield Recall(at, number, ticket)
        elif kind == "start":
            yield Start(at, number, ticket)
            if record is not None:
                record.started_at = at
        elif kind == "no_show":
            yield NoShow(at, number, ticket)
            if record is not None:
                record.finished_at, record.outcome = at, NO_SHOW
        else:
            yield Finish(at, number, ticket, visitor.case_type)
            if record is not None:
                record.finished_at, record.outcome = at, SERVED
            if visitor.rating is not None:
                yield Rate(at, number, ticket, visitor.rating)
                if record is not None:
                    record.rating = visitor.rating
        if window.steps:
            self.push(window.steps[0][0], _WINDOW, "step", number)
            return
        window.ticket = None
        yield from self.ready(window, minute)

    def foreign_visitor(self, called: Called, minute: float) -> Visitor:
        """A ticket the plan did not issue (a person took it): served with typical times."""
        self.foreign += 1
        visitor = Visitor(
            key=f"foreign-{called.ticket}",
            service=called.service,
            priority=Priority.NORMAL,
            arrives=minute,
            handling=self.plan.fallback_handling.get(called.service, 10.0),
            walk=self.plan.clerks.mean_walk,
            no_show=False,
            case_type=CaseType.IMMEDIATE,
        )
        self.by_ticket[called.ticket] = visitor
        return visitor


def run_day(plan: DayPlan, *, idle_poll: float | None = None) -> Engine:
    """The day as a generator of actions; `idle_poll` (minutes) makes idle windows press
    "next" again now and then, for halls where people issue tickets besides the engine."""
    return _Day(plan, idle_poll).run()
