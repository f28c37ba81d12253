"""A pool's end by Erlang C, where its assumptions hold.

Assumptions: enough time left before the cut-off for a steady state, a peak load well below
the pool's windows, and a backlog that drains early. Then every remaining arrival waits the
Erlang C mean wait (Allen-Cunneen for lognormal handling) and the finishes after x form a
thinned Poisson process: P(last finish <= x) = exp(-Λ(x)), Λ(x) = Σ ∫ λ(a) P(a + W + H > x) da.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from queue_server.queueing import erlang
from queue_server.queueing.forecast_inputs import Pool, Today, WaitingTicket


@dataclass(frozen=True)
class _Stream:
    mean: float
    cv: float
    pieces: tuple[tuple[float, float, float], ...]  # (start, end, arrivals per minute)


@dataclass(frozen=True)
class TailDistribution:
    lower: float  # the backlog is served by then
    wait: float  # Erlang C wait plus walking, for the last arrivals
    streams: tuple[_Stream, ...]

    def expected_later(self, x: float) -> float:
        total = 0.0
        for s in self.streams:
            for a, b, rate in s.pieces:
                total += rate * (
                    erlang.lognormal_excess(s.mean, s.cv, x - self.wait - b)
                    - erlang.lognormal_excess(s.mean, s.cv, x - self.wait - a)
                )
        return total

    def cdf(self, minute: float) -> float:
        if minute < self.lower:
            return 0.0
        return math.exp(-self.expected_later(minute))


def erlang_pool(
    today: Today, pool: Pool, waiting: Sequence[WaitingTicket]
) -> TailDistribution | None:
    """The pool's end distribution, or None when Erlang C's assumptions do not hold."""
    cfg = today.settings
    servers = len(pool.windows)
    walk = today.now.clerks.mean_walk
    loads = {s: today.load(s) for s in pool.services}
    holding = {s: loads[s].handling_minutes + walk for s in pool.services}
    remaining = today.remaining_issuing
    time_left = sum(b - a for a, b in remaining)
    steady = max(cfg.min_steady_minutes, cfg.steady_handlings * max(holding.values()))
    if servers == 0 or time_left < steady or today.mass <= 0:
        return None
    per_weight = {s: today.expected_volume(s) / today.mass for s in pool.services}
    segments = today.now.profile.segments(remaining)
    if not segments:
        return None
    peak = max(sum(per_weight[s] * w * holding[s] for s in pool.services) for _, _, w in segments)
    if peak / servers > cfg.max_load:
        return None
    work = sum(
        per_weight[s] * holding[s] * (b - a) * w for s in pool.services for a, b, w in segments
    )
    backlog = sum(holding[t.service] for t in waiting) + sum(
        today.free_at(w) - today.t for w in pool.windows
    )
    drain = backlog / (servers - work / time_left)
    if drain > cfg.backlog_share * time_left:
        return None
    last_weight = segments[-1][2]
    end_rate = sum(per_weight[s] * last_weight for s in pool.services)
    end_holding = sum(per_weight[s] * holding[s] for s in pool.services) / max(
        1e-12, sum(per_weight.values())
    )
    cv = max(loads[s].handling_cv for s in pool.services)
    wait = erlang.mean_wait(servers, end_rate, end_holding, cv) + walk
    lower = today.t + drain + (max(holding.values()) if waiting else 0.0)
    streams = tuple(
        _Stream(
            loads[s].handling_minutes,
            loads[s].handling_cv,
            tuple((a, b, per_weight[s] * w) for a, b, w in segments),
        )
        for s in pool.services
    )
    return TailDistribution(lower, wait, streams)
