"""What a simulated day produced: one record per visitor, the pauses, and a summary."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from statistics import fmean

from queue_server.domain.tickets import Priority

SERVED = "served"
NO_SHOW = "no_show"
TURNED_AWAY = "turned_away"  # refused at the kiosk (daily cap, hall closed)
WAITING = "waiting"


@dataclass
class TicketRecord:
    visitor: str
    service: str
    priority: Priority
    issued_at: datetime
    ticket: str | None = None
    number: str | None = None
    window: int | None = None
    called_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None  # finish, or the moment it was marked no-show
    outcome: str = WAITING
    rating: int | None = None

    @property
    def wait_minutes(self) -> float | None:
        if self.called_at is None:
            return None
        return (self.called_at - self.issued_at).total_seconds() / 60

    @property
    def handling_minutes(self) -> float | None:
        if self.started_at is None or self.finished_at is None or self.outcome != SERVED:
            return None
        return (self.finished_at - self.started_at).total_seconds() / 60


@dataclass(frozen=True)
class PauseRecord:
    window: int
    start: datetime
    end: datetime


@dataclass(frozen=True)
class DaySummary:
    issued: int
    served: int
    no_shows: int
    turned_away: int
    mean_wait_minutes: float | None
    p90_wait_minutes: float | None
    last_finish: datetime | None

    def line(self) -> str:
        def minutes(value: float | None) -> str:
            return "-" if value is None else f"{value:.1f}"

        last = "-" if self.last_finish is None else f"{self.last_finish:%H:%M}"
        return (
            f"issued {self.issued}, served {self.served}, no-shows {self.no_shows}, "
            f"turned away {self.turned_away}; wait mean {minutes(self.mean_wait_minutes)} min, "
            f"p90 {minutes(self.p90_wait_minutes)} min; last finish {last}"
        )


@dataclass(frozen=True)
class DayResult:
    tickets: tuple[TicketRecord, ...]
    pauses: tuple[PauseRecord, ...]
    foreign_calls: int  # tickets called that the plan did not issue (live: issued by people)

    @property
    def summary(self) -> DaySummary:
        return summarise(self.tickets)


def quantile(values: Sequence[float], q: float) -> float:
    """The q-quantile by the nearest-rank method."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q * len(ordered)))
    return ordered[rank - 1]


def summarise(tickets: Sequence[TicketRecord]) -> DaySummary:
    waits = [w for t in tickets if (w := t.wait_minutes) is not None]
    finishes = [t.finished_at for t in tickets if t.finished_at is not None]
    return DaySummary(
        issued=sum(1 for t in tickets if t.ticket is not None),
        served=sum(1 for t in tickets if t.outcome == SERVED),
        no_shows=sum(1 for t in tickets if t.outcome == NO_SHOW),
        turned_away=sum(1 for t in tickets if t.outcome == TURNED_AWAY),
        mean_wait_minutes=fmean(waits) if waits else None,
        p90_wait_minutes=quantile(waits, 0.9) if waits else None,
        last_finish=max(finishes) if finishes else None,
    )
