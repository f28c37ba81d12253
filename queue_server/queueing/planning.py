"""A simulated day drawn in advance: who arrives when, for what, and how long they take.

Everything random is drawn here, from streams named by seed, day and service or window, so
the engine's choices (which window calls whom) never shift a draw: the same seed gives the
same visitors whether the day runs in memory, through the service layer or over HTTP.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

from queue_server.config.models import HallConfig
from queue_server.domain.calendar import HallCalendar
from queue_server.domain.tickets import CaseType, Priority
from queue_server.queueing.demand import ClerkBehaviour, HallModel, RatingModel, ServiceDemand
from queue_server.queueing.profile import Interval, clip


@dataclass(frozen=True)
class Visitor:
    key: str
    service: str
    priority: Priority
    arrives: float  # minutes since the hall's local midnight
    handling: float  # minutes from start to finish at the window
    walk: float  # minutes from the call to the start
    no_show: bool
    case_type: CaseType
    rating: int | None = None


@dataclass(frozen=True)
class PauseIntent:
    """The clerk means to step away at `at`, at the first moment the window is free."""

    at: float
    minutes: float


Shift = tuple[float, float]  # (the clerk signs in, the session ends)


@dataclass(frozen=True)
class WindowPlan:
    number: int
    services: Mapping[str, int]
    free_at: float = 0.0  # busy with work the plan does not hold until then (forecasts)
    pauses: tuple[PauseIntent, ...] = ()
    # No shifts: the window is staffed from the plan's start (forecasts).
    shifts: tuple[Shift, ...] = ()


@dataclass(frozen=True)
class DayPlan:
    day: date
    timezone: str
    sessions: tuple[Interval, ...]
    start: float  # windows call from here on (the first opening, or "now" in a forecast)
    windows: tuple[WindowPlan, ...]
    visitors: tuple[Visitor, ...]
    clerks: ClerkBehaviour
    # Handling minutes for a ticket the plan does not know (one a person issued, live).
    fallback_handling: Mapping[str, float]

    @cached_property
    def midnight(self) -> datetime:
        return datetime.combine(self.day, time(0), tzinfo=ZoneInfo(self.timezone))

    def instant(self, minute: float) -> datetime:
        return self.midnight + timedelta(minutes=minute)

    def in_session(self, minute: float) -> bool:
        return any(a <= minute < b for a, b in self.sessions)


def minutes_of(instant: datetime, midnight: datetime) -> float:
    return (instant - midnight).total_seconds() / 60


def day_intervals(calendar: HallCalendar, day: date) -> tuple[list[Interval], list[Interval]]:
    """(opening sessions, issuing intervals) of a day, in minutes since local midnight."""
    midnight = datetime.combine(day, time(0), tzinfo=calendar.zone)
    sessions = [
        (minutes_of(a, midnight), minutes_of(b, midnight)) for a, b in calendar.session_bounds(day)
    ]
    cutoff = calendar.issue_cutoff(day)
    end = minutes_of(cutoff, midnight) if cutoff is not None else sessions[-1][1]
    return sessions, clip(sessions, 0, end)


def arrival_times(
    rng: random.Random, segments: Sequence[tuple[float, float, float]], per_weight: float
) -> list[float]:
    """Poisson arrivals with rate `per_weight * weight` (per minute) on each segment."""
    times: list[float] = []
    for start, end, weight in segments:
        rate = per_weight * weight
        if rate <= 0:
            continue
        t = start + rng.expovariate(rate)
        while t < end:
            times.append(t)
            t += rng.expovariate(rate)
    return times


def draw_visitor(
    rng: random.Random,
    demand: ServiceDemand,
    clerks: ClerkBehaviour,
    ratings: RatingModel | None,
    key: str,
    arrives: float,
    priority: Priority | None = None,
) -> Visitor:
    green = rng.random() < demand.green_share
    return Visitor(
        key=key,
        service=demand.code,
        priority=priority or (Priority.GREEN if green else Priority.NORMAL),
        arrives=arrives,
        handling=demand.handling.draw(rng),
        walk=rng.uniform(*clerks.walk_minutes),
        no_show=rng.random() < clerks.no_show_rate,
        case_type=demand.case_type(rng),
        rating=ratings.draw(rng) if ratings is not None else None,
    )


def draw_arrivals(
    model: HallModel,
    issuing: Sequence[Interval],
    volumes: Mapping[str, float],
    stream: str,
    *,
    mass: float | None = None,
) -> list[Visitor]:
    """Visitors arriving over `issuing`, `volumes[code]` expected per `mass` of profile.

    `mass` defaults to the profile's mass over `issuing` (the volumes are for that span).
    """
    segments = model.profile.segments(issuing)
    total = mass if mass is not None else model.profile.mass(issuing)
    drawn: list[tuple[float, int, Visitor]] = []
    for order, (code, volume) in enumerate(volumes.items()):
        if total <= 0 or volume <= 0:
            continue
        rng = random.Random(f"{stream}:arrivals:{code}")
        demand = model.demand[code]
        for i, t in enumerate(arrival_times(rng, segments, volume / total)):
            visitor = draw_visitor(rng, demand, model.clerks, model.ratings, f"{code}-{i}", t)
            drawn.append((t, order, visitor))
    drawn.sort(key=lambda item: (item[0], item[1]))
    return [v for _, _, v in drawn]


def draw_pauses(
    clerks: ClerkBehaviour, sessions: Sequence[Interval], stream: str
) -> tuple[PauseIntent, ...]:
    rng = random.Random(f"{stream}:pauses")
    rate = clerks.pauses_per_hour / 60
    intents: list[PauseIntent] = []
    if rate <= 0:
        return ()
    for start, end in sessions:
        for t in arrival_times(rng, [(start, end, 1.0)], rate):
            intents.append(PauseIntent(t, rng.uniform(*clerks.pause_minutes)))
    return tuple(intents)


def draw_shifts(
    clerks: ClerkBehaviour, sessions: Sequence[Interval], stream: str
) -> tuple[Shift, ...]:
    rng = random.Random(f"{stream}:shifts")
    shifts = []
    for start, end in sessions:
        if rng.random() < clerks.late_rate:
            shifts.append((start + rng.uniform(*clerks.late_minutes), end))
        else:
            shifts.append((start - rng.uniform(*clerks.arrive_before_minutes), end))
    return tuple(shifts)


def plan_day(config: HallConfig, day: date, model: HallModel, seed: int | str) -> DayPlan:
    """A working day of the hall; a day the hall is closed has no visitors."""
    calendar = config.hall.calendar()
    stream = f"{seed}:{day.isoformat()}"
    if not calendar.is_working_day(day):
        sessions: list[Interval] = []
        visitors: list[Visitor] = []
    else:
        sessions, issuing = day_intervals(calendar, day)
        volumes = {code: d.daily_volume for code, d in model.demand.items()}
        visitors = draw_arrivals(model, issuing, volumes, stream)
    windows = tuple(
        WindowPlan(
            number=w.number,
            services=dict(w.services),
            pauses=draw_pauses(model.clerks, sessions, f"{stream}:window:{w.number}"),
            shifts=draw_shifts(model.clerks, sessions, f"{stream}:window:{w.number}"),
        )
        for w in config.windows
    )
    return DayPlan(
        day=day,
        timezone=config.hall.timezone,
        sessions=tuple(sessions),
        start=sessions[0][0] if sessions else 0.0,
        windows=windows,
        visitors=tuple(visitors),
        clerks=model.clerks,
        fallback_handling={c: d.handling.mean_minutes for c, d in model.demand.items()},
    )
