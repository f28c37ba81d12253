"""End-of-day forecast: will every ticket of today be served before closing (当日号当日办结)?

Per pool of windows sharing services, the end of its last case is a distribution: by Erlang C
where its assumptions hold (forecast_erlang), by a short seeded simulation otherwise
(forecast_sim). The hall ends when its last pool does, so the hall's distribution is the
product of the pools'; the forecast is its median, and "before closing" means closing is at
least `target_probability` likely to come after the last finish.

When it is not, windows are added one at a time (each for one service, opened now) where
they raise that probability most, until it is reached or another window would not help.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from queue_server.queueing.forecast_erlang import erlang_pool
from queue_server.queueing.forecast_inputs import (
    EndDistribution,
    ForecastSettings,
    HallNow,
    Pool,
    ServiceLoad,
    Today,
    WaitingTicket,
    WindowNow,
    pools,
)
from queue_server.queueing.forecast_sim import Never, simulate_pool

__all__ = [
    "Advice",
    "Forecast",
    "ForecastSettings",
    "HallNow",
    "PoolForecast",
    "ServiceLoad",
    "WaitingTicket",
    "WindowNow",
    "forecast",
]

ERLANG_C = "erlang_c"
SIMULATION = "simulation"
NO_WINDOW = "no_window"
MIXED = "mixed"
# Pools this likely to be done by closing are not where extra windows go.
SAFE_PROBABILITY = 0.95
MIN_GAIN = 0.02


@dataclass(frozen=True)
class PoolForecast:
    services: tuple[str, ...]
    windows: tuple[int, ...]
    waiting: int
    expected_arrivals: float
    predicted_end: datetime | None  # None: no window serves these services
    probability_before_closing: float
    method: str


@dataclass(frozen=True)
class Advice:
    service: str
    extra_windows: int


@dataclass(frozen=True)
class Forecast:
    at: datetime
    closing: datetime
    predicted_end: datetime | None  # median of the last finish; None if it never comes
    p90_end: datetime | None
    probability_before_closing: float
    before_closing: bool
    method: str
    expected_arrivals: float
    pools: tuple[PoolForecast, ...]
    advice: tuple[Advice, ...]
    # With the advised windows opened now:
    predicted_end_with_advice: datetime | None
    probability_with_advice: float | None

    @property
    def margin_minutes(self) -> float | None:
        if self.predicted_end is None:
            return None
        return (self.closing - self.predicted_end).total_seconds() / 60


def joint_cdf(dists: Sequence[EndDistribution], minute: float) -> float:
    return math.prod(d.cdf(minute) for d in dists)


def joint_quantile(dists: Sequence[EndDistribution], q: float, start: float) -> float | None:
    """The first minute at which every pool is done with probability q (None: never)."""
    low, high = start, start + 60.0
    while joint_cdf(dists, high) < q:
        high += (high - start) * 2
        if high - start > 60 * 24 * 7:
            return None
    if joint_cdf(dists, low) >= q:
        return low
    for _ in range(40):
        mid = (low + high) / 2
        if joint_cdf(dists, mid) >= q:
            high = mid
        else:
            low = mid
    return high


@dataclass
class _Entry:
    pool: Pool
    waiting: list[WaitingTicket]
    arrivals: float
    dist: EndDistribution
    method: str


def _entries(today: Today) -> list[_Entry]:
    entries = []
    for pool in pools([s.code for s in today.now.services], today.now.windows):
        members = set(pool.services)
        waiting = [t for t in today.now.waiting if t.service in members]
        arrivals = sum(today.expected_arrivals(s) for s in pool.services)
        busy = any(w.busy_service or w.paused_minutes is not None for w in pool.windows)
        if not waiting and arrivals < 0.5 and not busy:
            continue
        dist: EndDistribution | None
        if not pool.windows:
            dist, method = Never(), NO_WINDOW
        elif (dist := erlang_pool(today, pool, waiting)) is not None:
            method = ERLANG_C
        else:
            dist, method = simulate_pool(today, pool, waiting, today.settings.runs), SIMULATION
        entries.append(_Entry(pool, waiting, arrivals, dist, method))
    return entries


def _advise(today: Today, entries: list[_Entry]) -> tuple[dict[str, int], list[EndDistribution]]:
    """Extra windows, opened now, so that the hall is done by closing as likely as asked.

    Each pool that may run late gets an equal share of the target (the hall is done when all
    are): windows are added to it one at a time, for the service that helps it most, until it
    reaches its share or another window would not help (its last case alone runs late).
    """
    cfg, closing = today.settings, today.closing
    dists = [e.dist for e in entries]
    late = [i for i, d in enumerate(dists) if d.cdf(closing) < SAFE_PROBABILITY]
    if not late:
        return {}, dists
    safe = math.prod(d.cdf(closing) for i, d in enumerate(dists) if i not in late)
    share = min(SAFE_PROBABILITY, (cfg.target_probability / max(safe, 1e-9)) ** (1 / len(late)))
    advised: dict[str, int] = {}
    budget = cfg.max_extra_windows
    for i in late:
        entry = entries[i]
        busy = sorted(
            {t.service for t in entry.waiting}
            | {s for s in entry.pool.services if today.expected_arrivals(s) >= 0.5}
        )
        extra: dict[str, int] = {}
        current: EndDistribution = simulate_pool(today, entry.pool, entry.waiting, cfg.advice_runs)
        while budget > 0 and current.cdf(closing) < share and busy:
            trials = {
                s: simulate_pool(
                    today,
                    entry.pool,
                    entry.waiting,
                    cfg.advice_runs,
                    {**extra, s: extra.get(s, 0) + 1},
                )
                for s in busy
            }
            best = max(busy, key=lambda s: (trials[s].cdf(closing), -_median(trials[s], today)))
            gain = trials[best].cdf(closing) - current.cdf(closing)
            sooner = _median(current, today) - _median(trials[best], today)
            if gain < MIN_GAIN and sooner < 1.0:
                break
            extra[best] = extra.get(best, 0) + 1
            current = trials[best]
            budget -= 1
        for service, count in extra.items():
            advised[service] = advised.get(service, 0) + count
        if extra:
            dists[i] = current
    return advised, dists


def _median(dist: EndDistribution, today: Today) -> float:
    found = joint_quantile([dist], 0.5, today.t)
    return math.inf if found is None else found


def forecast(now: HallNow, settings: ForecastSettings | None = None) -> Forecast:
    today = Today.of(now, settings or ForecastSettings())
    entries = _entries(today)
    dists = [e.dist for e in entries]
    closing = today.closing
    end = joint_quantile(dists, 0.5, today.t)
    p90 = joint_quantile(dists, 0.9, today.t)
    probability = joint_cdf(dists, closing) if entries else 1.0
    methods = {e.method for e in entries}
    advice: dict[str, int] = {}
    with_advice: float | None = None
    probability_after: float | None = None
    if probability < today.settings.target_probability:
        advice, advised_dists = _advise(today, entries)
        if advice:
            with_advice = joint_quantile(advised_dists, 0.5, today.t)
            probability_after = joint_cdf(advised_dists, closing)

    def instant(minute: float | None) -> datetime | None:
        return None if minute is None else today.instant(minute)

    return Forecast(
        at=now.now,
        closing=today.instant(closing),
        predicted_end=instant(end),
        p90_end=instant(p90),
        probability_before_closing=round(probability, 3),
        before_closing=probability >= today.settings.target_probability,
        method=methods.pop() if len(methods) == 1 else (MIXED if methods else ERLANG_C),
        expected_arrivals=round(sum(e.arrivals for e in entries), 1),
        pools=tuple(
            PoolForecast(
                services=e.pool.services,
                windows=tuple(w.number for w in e.pool.windows),
                waiting=len(e.waiting),
                expected_arrivals=round(e.arrivals, 1),
                predicted_end=instant(joint_quantile([e.dist], 0.5, today.t)),
                probability_before_closing=round(e.dist.cdf(closing), 3),
                method=e.method,
            )
            for e in entries
        ),
        advice=tuple(Advice(s, n) for s, n in sorted(advice.items())),
        predicted_end_with_advice=instant(with_advice),
        probability_with_advice=None if probability_after is None else round(probability_after, 3),
    )
