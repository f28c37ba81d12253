"""A pool's end by a short seeded Monte Carlo run of the hall simulator from now.

Each run draws the day's volume of every service from the forecast's Gamma belief (so the
spread of the runs includes not knowing how busy the afternoon will be), then the arrivals,
handling times, no-shows and pauses, and plays the pool to its last finish.
"""

from __future__ import annotations

import bisect
import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from queue_server.queueing.demand import HallModel, HandlingModel, ServiceDemand
from queue_server.queueing.engine import run_day
from queue_server.queueing.forecast_inputs import Pool, Today, WaitingTicket
from queue_server.queueing.memory import MemoryHall, drive
from queue_server.queueing.planning import (
    DayPlan,
    Visitor,
    WindowPlan,
    draw_arrivals,
    draw_pauses,
    draw_visitor,
)
from queue_server.queueing.profile import clip

ADDED_WINDOW_BASE = 10_000  # numbers of the hypothetical windows the advice tries


@dataclass(frozen=True)
class Empirical:
    ends: tuple[float, ...]  # sorted

    def cdf(self, minute: float) -> float:
        return bisect.bisect_right(self.ends, minute) / len(self.ends)


class Never:
    """Nothing serves the pool: it never ends."""

    def cdf(self, minute: float) -> float:
        return 0.0


def simulate_pool(
    today: Today,
    pool: Pool,
    waiting: Sequence[WaitingTicket],
    runs: int,
    extra: Mapping[str, int] | None = None,
) -> Empirical | Never:
    """The pool's end over `runs` runs, with `extra` windows opened now for services."""
    windows = [
        WindowPlan(w.number, dict(w.services), free_at=today.free_at(w)) for w in pool.windows
    ]
    added = [s for s, count in sorted((extra or {}).items()) for _ in range(count)]
    windows += [
        WindowPlan(ADDED_WINDOW_BASE + i, {service: 1}, free_at=today.t)
        for i, service in enumerate(added)
    ]
    if not windows:
        return Never()
    ends = []
    for run in range(runs):
        stream = f"{today.settings.seed}:{run}"
        plan = _plan(today, pool, waiting, windows, stream)
        hall = MemoryHall({w.number: w.services for w in plan.windows}, today.now.policy)
        result = drive(run_day(plan), hall)
        finishes = [
            (r.finished_at - today.midnight).total_seconds() / 60
            for r in result.tickets
            if r.finished_at is not None
        ]
        ends.append(max([today.t, *finishes, *(w.free_at for w in windows)]))
    return Empirical(tuple(sorted(ends)))


def _model(today: Today, pool: Pool, stream: str) -> HallModel:
    demand = {}
    for s in pool.services:
        shape, rate = today.volume_posterior(s)
        volume = random.Random(f"{stream}:volume:{s}").gammavariate(shape, 1 / rate)
        load = today.load(s)
        demand[s] = ServiceDemand(
            code=s,
            daily_volume=volume,
            handling=HandlingModel(max(0.1, load.handling_minutes), load.handling_cv),
            green_share=0.0,
        )
    return HallModel(demand=demand, clerks=today.now.clerks, profile=today.now.profile)


def _plan(
    today: Today,
    pool: Pool,
    waiting: Sequence[WaitingTicket],
    windows: Sequence[WindowPlan],
    stream: str,
) -> DayPlan:
    model = _model(today, pool, stream)
    rng = random.Random(f"{stream}:waiting")
    queued: list[Visitor] = [
        draw_visitor(
            rng,
            model.demand[t.service],
            model.clerks,
            None,
            f"waiting-{i}",
            (t.since - today.midnight).total_seconds() / 60,
            t.priority,
        )
        for i, t in enumerate(waiting)
    ]
    volumes = {s: d.daily_volume for s, d in model.demand.items()}
    arriving = draw_arrivals(model, today.remaining_issuing, volumes, stream, mass=today.mass)
    later = clip(today.sessions, today.t, math.inf)
    with_pauses = [
        replace(w, pauses=draw_pauses(model.clerks, later, f"{stream}:window:{w.number}"))
        for w in windows
    ]
    return DayPlan(
        day=today.midnight.date(),
        timezone=today.now.timezone,
        sessions=today.sessions,
        start=today.t,
        windows=tuple(with_pauses),
        visitors=tuple(sorted(queued, key=lambda v: v.arrives) + arriving),
        clerks=model.clerks,
        fallback_handling={s: d.handling.mean_minutes for s, d in model.demand.items()},
    )
