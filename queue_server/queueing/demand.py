"""What the simulated hall is made of: demand per service, handling times, clerk behaviour."""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from statistics import fmean, pstdev

from queue_server.config.models import HallConfig, ServiceConfig
from queue_server.domain.rating import Level
from queue_server.domain.tickets import CaseType
from queue_server.queueing.profile import ArrivalProfile

DEFAULT_CV = 0.5
# Share of the windows' open time the default volumes fill: busy but able to drain peaks.
DEFAULT_UTILISATION = 0.65


@dataclass(frozen=True)
class HandlingModel:
    """Lognormal handling minutes with a given mean and coefficient of variation."""

    mean_minutes: float
    cv: float = DEFAULT_CV

    @property
    def sigma(self) -> float:
        return math.sqrt(math.log(1 + self.cv**2))

    @property
    def mu(self) -> float:
        return math.log(self.mean_minutes) - self.sigma**2 / 2

    def draw(self, rng: random.Random) -> float:
        return rng.lognormvariate(self.mu, self.sigma)

    @classmethod
    def from_samples(cls, samples: Sequence[float], default: HandlingModel) -> HandlingModel:
        """Fit to measured handling minutes; too few samples keep the default."""
        usable = [s for s in samples if s > 0]
        if len(usable) < 5:
            return default
        mean = fmean(usable)
        return cls(mean_minutes=mean, cv=max(0.05, pstdev(usable) / mean))


@dataclass(frozen=True)
class ServiceDemand:
    code: str
    daily_volume: float
    handling: HandlingModel
    green_share: float = 0.05
    # 办件类型 mix when the case is finished; the rest are immediate (即办件).
    promised_share: float = 0.0
    reply_share: float = 0.02

    def case_type(self, rng: random.Random) -> CaseType:
        x = rng.random()
        if x < self.promised_share:
            return CaseType.PROMISED
        if x < self.promised_share + self.reply_share:
            return CaseType.REPLY
        return CaseType.IMMEDIATE


@dataclass(frozen=True)
class ClerkBehaviour:
    # Clerks sign in to their window before each session (签到), a few late; they sign out
    # when the session is over and their queue is served.
    arrive_before_minutes: tuple[float, float] = (2.0, 10.0)
    late_rate: float = 0.03
    late_minutes: tuple[float, float] = (2.0, 15.0)
    no_show_rate: float = 0.04
    walk_minutes: tuple[float, float] = (0.3, 1.5)  # call to start, uniform
    recall_after_minutes: float = 1.0
    no_show_after_minutes: float = 2.0
    pauses_per_hour: float = 0.2  # short pauses (water, toilet) per window and open hour
    pause_minutes: tuple[float, float] = (3.0, 10.0)
    pause_reason: str = "break"

    @property
    def mean_walk(self) -> float:
        return sum(self.walk_minutes) / 2

    @property
    def mean_pause(self) -> float:
        return sum(self.pause_minutes) / 2


@dataclass(frozen=True)
class RatingModel:
    """好差评 after a finished case: who rates, and the scores 1 (worst) to 5 by weight."""

    share: float = 0.6
    weights: tuple[float, float, float, float, float] = (0.01, 0.02, 0.07, 0.25, 0.65)

    def draw(self, rng: random.Random) -> int | None:
        if rng.random() >= self.share:
            return None
        return rng.choices((1, 2, 3, 4, 5), weights=self.weights)[0]


RATING_LEVELS = {
    5: Level.VERY_SATISFIED,
    4: Level.SATISFIED,
    3: Level.BASICALLY_SATISFIED,
    2: Level.DISSATISFIED,
    1: Level.VERY_DISSATISFIED,
}


@dataclass(frozen=True)
class HallModel:
    demand: Mapping[str, ServiceDemand]
    clerks: ClerkBehaviour = ClerkBehaviour()
    profile: ArrivalProfile = field(default_factory=ArrivalProfile)
    ratings: RatingModel | None = None

    def scaled(self, factor: float) -> HallModel:
        """The same hall on a busier (factor > 1) or quieter day."""
        return replace(
            self,
            demand={
                k: replace(d, daily_volume=d.daily_volume * factor) for k, d in self.demand.items()
            },
        )


@dataclass(frozen=True)
class MeasuredHistory:
    """What the hall measured: handling minutes and mean daily volumes per service."""

    handling_samples: Mapping[str, Sequence[float]] = field(default_factory=dict)
    daily_volumes: Mapping[str, float] = field(default_factory=dict)


def open_minutes(config: HallConfig) -> float:
    calendar = config.hall.calendar()
    total = 0.0
    for start, end in calendar.sessions:
        total += (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    return total - calendar.issue_cutoff_minutes


def default_volumes(
    config: HallConfig,
    utilisation: float = DEFAULT_UTILISATION,
    clerks: ClerkBehaviour | None = None,
) -> dict[str, float]:
    """Daily volumes that keep every window busy `utilisation` of its open time.

    A window's time is shared between its services by weight; a service's volume is the
    time it gets divided by the time a visitor holds the window (walking up and handling).
    Daily caps bound the result.
    """
    minutes = open_minutes(config)
    walk = (clerks or ClerkBehaviour()).mean_walk
    volumes = {s.code: 0.0 for s in config.services}
    handling = {s.code: s.default_handling_minutes + walk for s in config.services}
    for window in config.windows:
        total = sum(window.services.values())
        for code, weight in window.services.items():
            volumes[code] += utilisation * minutes * weight / total / handling[code]
    for service in config.services:
        if service.daily_cap is not None:
            volumes[service.code] = min(volumes[service.code], service.daily_cap * 0.95)
    return volumes


def _demand(
    service: ServiceConfig, volume: float, samples: Sequence[float], green_share: float
) -> ServiceDemand:
    default = HandlingModel(service.default_handling_minutes)
    return ServiceDemand(
        code=service.code,
        daily_volume=volume,
        handling=HandlingModel.from_samples(samples, default),
        green_share=green_share if service.green_channel else 0.0,
        promised_share=0.5 if service.publics.time_limit_days > 0 else 0.0,
    )


def hall_model(
    config: HallConfig,
    *,
    history: MeasuredHistory | None = None,
    volume_scale: float = 1.0,
    green_share: float = 0.05,
    clerks: ClerkBehaviour | None = None,
    profile: ArrivalProfile | None = None,
    ratings: RatingModel | None = None,
) -> HallModel:
    """The model of a hall from its configuration, measured history overriding defaults."""
    measured = history or MeasuredHistory()
    volumes = {**default_volumes(config, clerks=clerks), **measured.daily_volumes}
    demand = {
        s.code: _demand(
            s,
            volumes[s.code] * volume_scale,
            measured.handling_samples.get(s.code, ()),
            green_share,
        )
        for s in config.services
    }
    return HallModel(
        demand=demand,
        clerks=clerks or ClerkBehaviour(),
        profile=profile or ArrivalProfile(),
        ratings=ratings,
    )
