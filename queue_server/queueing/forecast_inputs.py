"""What the forecast is told about the hall now, and what it derives from that once."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from statistics import fmean, pstdev
from typing import Protocol
from zoneinfo import ZoneInfo

from queue_server.domain.call_policy import CallPolicy
from queue_server.domain.tickets import Priority
from queue_server.queueing import erlang
from queue_server.queueing.demand import DEFAULT_CV, ClerkBehaviour
from queue_server.queueing.profile import ArrivalProfile, Interval, clip


@dataclass(frozen=True)
class WaitingTicket:
    service: str
    since: datetime  # its place in the queue (issue time, or booked time)
    priority: Priority = Priority.NORMAL


MIN_SAMPLES = 5  # measured handling times needed before they replace the default


@dataclass(frozen=True)
class ServiceLoad:
    code: str
    handling_minutes: float  # measured today, or the service's default
    handling_cv: float = DEFAULT_CV
    arrived: int = 0  # tickets issued today so far
    usual_daily_volume: float | None = None  # from history

    @classmethod
    def measured(
        cls,
        code: str,
        samples: Sequence[float],
        default_minutes: float,
        arrived: int,
        usual_daily_volume: float | None = None,
    ) -> ServiceLoad:
        """The load with measured handling minutes once there are enough of them."""
        if len(samples) < MIN_SAMPLES:
            return cls(code, default_minutes, DEFAULT_CV, arrived, usual_daily_volume)
        mean = fmean(samples)
        cv = max(0.05, pstdev(samples) / mean) if mean > 0 else DEFAULT_CV
        return cls(code, max(mean, 0.1), cv, arrived, usual_daily_volume)


@dataclass(frozen=True)
class WindowNow:
    number: int
    services: Mapping[str, int]
    busy_service: str | None = None  # the service of the ticket at the window now
    busy_minutes: float = 0.0  # how long that ticket has been there
    paused_minutes: float | None = None  # paused for this long (None: not paused)


@dataclass(frozen=True)
class HallNow:
    now: datetime
    timezone: str
    sessions: tuple[tuple[datetime, datetime], ...]
    issue_cutoff: datetime
    services: tuple[ServiceLoad, ...]
    waiting: tuple[WaitingTicket, ...]
    windows: tuple[WindowNow, ...]  # open windows only
    policy: CallPolicy = field(default_factory=CallPolicy)
    clerks: ClerkBehaviour = field(default_factory=ClerkBehaviour)
    profile: ArrivalProfile = field(default_factory=ArrivalProfile)


@dataclass(frozen=True)
class ForecastSettings:
    runs: int = 40
    advice_runs: int = 16
    seed: int | str = 0
    max_extra_windows: int = 6
    # The hall is "before closing" when the last finish is more likely before it than not.
    target_probability: float = 0.5
    # Erlang C assumptions: peak load per window, time left, backlog gone early.
    max_load: float = 0.85
    min_steady_minutes: float = 60.0
    steady_handlings: float = 8.0
    backlog_share: float = 0.25
    # How much the usual volumes weigh against today's counts, in tickets observed: for the
    # whole hall's level today, and for each service's share of it.
    prior_hall_arrivals: float = 10.0
    prior_arrivals: float = 20.0


class EndDistribution(Protocol):
    def cdf(self, minute: float) -> float:
        """P(the last finish is at or before `minute`)."""
        ...


@dataclass(frozen=True)
class Pool:
    """Services and the open windows that serve them, connected through shared windows."""

    services: tuple[str, ...]
    windows: tuple[WindowNow, ...]


def pools(services: Sequence[str], windows: Sequence[WindowNow]) -> list[Pool]:
    parent = {s: s for s in services}

    def root(s: str) -> str:
        while parent[s] != s:
            parent[s] = parent[parent[s]]
            s = parent[s]
        return s

    for window in windows:
        served = [s for s in window.services if s in parent]
        for other in served[1:]:
            parent[root(other)] = root(served[0])
    groups: dict[str, list[str]] = {}
    for s in services:
        groups.setdefault(root(s), []).append(s)
    return [
        Pool(tuple(members), tuple(w for w in windows if set(members) & set(w.services)))
        for members in groups.values()
    ]


@dataclass(frozen=True)
class Today:
    """The day in minutes since the hall's local midnight, and the arrivals still to come."""

    now: HallNow
    settings: ForecastSettings
    midnight: datetime
    t: float
    sessions: tuple[Interval, ...]
    issuing: tuple[Interval, ...]
    closing: float
    done: float  # share of the day's expected arrivals already in
    mass: float  # profile mass of the whole issuing day
    hall_factor: float  # today's volume over the usual, all services together

    @classmethod
    def of(cls, now: HallNow, settings: ForecastSettings) -> Today:
        if not now.sessions:
            raise ValueError("the hall has no opening sessions today")
        zone = ZoneInfo(now.timezone)
        midnight = datetime.combine(now.now.astimezone(zone).date(), time(0), tzinfo=zone)

        def m(instant: datetime) -> float:
            return (instant - midnight).total_seconds() / 60

        sessions = tuple((m(a), m(b)) for a, b in now.sessions)
        issuing = tuple(clip(sessions, 0, m(now.issue_cutoff)))
        mass = now.profile.mass(issuing)
        t = m(now.now)
        done = now.profile.mass(clip(issuing, -math.inf, t)) / mass if mass > 0 else 1.0
        known = [s for s in now.services if s.usual_daily_volume]
        usual = sum(s.usual_daily_volume or 0.0 for s in known)
        k = settings.prior_hall_arrivals
        factor = (k + sum(s.arrived for s in known)) / (k + usual * done) if known else 1.0
        return cls(
            now, settings, midnight, t, sessions, issuing, sessions[-1][1], done, mass, factor
        )

    def instant(self, minute: float) -> datetime:
        return self.midnight + timedelta(minutes=minute)

    @property
    def remaining_issuing(self) -> list[Interval]:
        return clip(self.issuing, self.t, math.inf)

    def load(self, service: str) -> ServiceLoad:
        return next(s for s in self.now.services if s.code == service)

    def volume_posterior(self, service: str) -> tuple[float, float]:
        """(shape, rate) of the Gamma belief about the service's volume today.

        With history, the usual volume scaled by the whole hall's level today (well measured:
        every service counts) is the prior, worth `prior_arrivals` tickets against the
        service's own count; so a service with few tickets so far follows the hall, and a
        busy one its own count.
        """
        load = self.load(service)
        usual = load.usual_daily_volume
        if usual is not None and usual > 0:
            k = self.settings.prior_arrivals
            expected = usual * self.hall_factor
            return load.arrived + k, (k + expected * self.done) / expected
        return load.arrived + 0.5, max(self.done, 0.1)

    def expected_volume(self, service: str) -> float:
        shape, rate = self.volume_posterior(service)
        return shape / rate

    def expected_arrivals(self, service: str) -> float:
        return self.expected_volume(service) * (1 - self.done)

    def free_at(self, window: WindowNow) -> float:
        """When the window can call next: after its current case or its pause."""
        clerks = self.now.clerks
        if window.paused_minutes is not None:
            return self.t + max(1.0, clerks.mean_pause - window.paused_minutes)
        if window.busy_service is None:
            return self.t
        load = self.load(window.busy_service)
        walk_left = max(0.0, clerks.mean_walk - window.busy_minutes)
        handled = max(0.0, window.busy_minutes - clerks.mean_walk)
        residual = erlang.residual_minutes(load.handling_minutes, load.handling_cv, handled)
        return self.t + walk_left + residual
