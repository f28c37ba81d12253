"""What the floor showed at each ticket's issue on a simulated day — the inputs of the wait
estimate given then (people ahead by the call policy's tiers, windows open and unpaused with
their service weights and shifts, handling times measured so far, each window's case and the
tickets it would call first) — and the ticket's real wait. The estimate benchmark and the
demo month compute the estimates of simulated tickets from it with the server's own functions
(`domain/estimate_calibration.estimate_at_issue`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from queue_server.config import HallConfig
from queue_server.domain.estimate import WaitEstimate, WindowState
from queue_server.domain.estimate_calibration import (
    Calibration,
    CalibrationSample,
    estimate_at_issue,
)
from queue_server.domain.tickets import Priority
from queue_server.queueing.planning import DayPlan
from queue_server.queueing.records import DayResult, TicketRecord

HANDLING_SAMPLES = 50


@dataclass(frozen=True)
class Seen:
    """What the floor showed at one ticket's issue, and what then happened."""

    visitor: str
    service: str
    ahead: int
    capacity: float
    samples: tuple[float, ...]
    default_minutes: float
    windows: tuple[WindowState, ...]
    waited: float | None  # None: never called


def _minute(instant: datetime, midnight: datetime) -> float:
    return (instant - midnight).total_seconds() / 60


def observe(config: HallConfig, plan: DayPlan, result: DayResult) -> list[Seen]:
    """What the floor showed at each ticket's issue on a simulated day, and its wait."""
    calendar = config.hall.calendar()
    midnight = calendar.at(plan.day, datetime.min.time())
    guard = timedelta(minutes=config.call_policy.guard_minutes)
    shifts = {w.number: w.shifts for w in plan.windows}
    weights = {w.number: dict(w.services) for w in config.windows}
    pauses = defaultdict(list)
    for p in result.pauses:
        pauses[p.window].append((p.start, p.end))
    defaults = {s.code: s.default_handling_minutes for s in config.services}
    tickets = [t for t in result.tickets if t.ticket is not None]
    seen = []
    for r in tickets:
        t = r.issued_at
        minute = _minute(t, midnight)
        waiting = [
            o
            for o in tickets
            if o is not r and o.issued_at <= t and (o.called_at is None or o.called_at > t)
        ]

        def first(o: TicketRecord, t: datetime = t) -> bool:
            return o.priority is not Priority.NORMAL or t - o.issued_at >= guard

        if r.priority is Priority.NORMAL:
            ahead = sum(1 for o in waiting if o.service == r.service)
        else:
            ahead = sum(
                1 for o in waiting if o.service == r.service and first(o) and o.issued_at <= t
            )
        open_now = [
            n
            for n, spans in shifts.items()
            if any(a <= minute < b for a, b in spans) and not any(a <= t < b for a, b in pauses[n])
        ]
        capacity = sum(
            weights[n][r.service] / sum(weights[n].values())
            for n in open_now
            if r.service in weights[n]
        )
        done = sorted(
            (
                o
                for o in tickets
                if o.service == r.service
                and o.finished_at is not None
                and o.finished_at <= t
                and o.handling_minutes is not None
            ),
            key=lambda o: o.finished_at or t,
        )[-HANDLING_SAMPLES:]
        samples = tuple(o.handling_minutes or 0.0 for o in done)
        states = []
        for n, spans in shifts.items():
            if r.service not in weights[n] or not any(a <= minute < b for a, b in spans):
                continue
            busy = next(
                (
                    o
                    for o in tickets
                    if o is not r
                    and o.window == n
                    and o.called_at is not None
                    and o.called_at < t
                    and (o.finished_at is None or o.finished_at > t)
                ),
                None,
            )
            mine = weights[n][r.service]
            before = sum(
                1
                for o in waiting
                if o.service != r.service
                and o.service in weights[n]
                and (first(o) or weights[n][o.service] > mine)
            )
            states.append(
                WindowState(
                    paused=any(a <= t < b for a, b in pauses[n]),
                    busy_minutes=None
                    if busy is None or busy.called_at is None
                    else (t - busy.called_at).total_seconds() / 60,
                    before=before,
                )
            )
        seen.append(
            Seen(
                r.visitor,
                r.service,
                ahead,
                capacity,
                samples,
                defaults[r.service],
                tuple(states),
                r.wait_minutes,
            )
        )
    return seen


def shown(s: Seen, calibration: Calibration) -> WaitEstimate:
    """The estimate the server gives for this ticket (`estimate_at_issue`)."""
    return estimate_at_issue(
        s.ahead,
        s.capacity,
        s.samples,
        s.default_minutes,
        service=s.service,
        calibration=calibration,
        windows=s.windows,
    )


def samples_of(seen: Iterable[Seen], calibration: Calibration) -> list[CalibrationSample]:
    """The outcomes a hall would have recorded had it shown these estimates (people ahead and
    called only): what the server's calibration is fitted on."""
    samples = []
    for s in seen:
        if s.waited is None or s.ahead < 1:
            continue
        midpoint = shown(s, calibration).base_midpoint
        if midpoint is not None:
            samples.append(CalibrationSample(s.service, s.ahead, midpoint, s.waited))
    return samples
