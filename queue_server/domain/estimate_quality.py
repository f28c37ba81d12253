"""How good the wait estimates visitors were given turned out to be (published per service
and day on the floor monitor and in the bulletin).

For each visitor called: the range they were told at issue and the real wait from issue to
the first call. Coverage is the share called inside their range (a range in whole minutes
covers the half minute around each end: 12-18 covers 11.5 to 18.5 minutes, "about 3" covers
2.5 to 3.5); the error is how far the wait fell from the range's midpoint; the width is the
range's own spread. Medians, because one visitor who left and came back must not rule.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from statistics import median

ROUNDING = 0.5


@dataclass(frozen=True)
class Outcome:
    service: str
    day: date
    low: int
    high: int
    waited_minutes: float

    @property
    def inside(self) -> bool:
        return self.low - ROUNDING <= self.waited_minutes <= self.high + ROUNDING

    @property
    def error_minutes(self) -> float:
        return abs(self.waited_minutes - (self.low + self.high) / 2)

    @property
    def width_minutes(self) -> int:
        return self.high - self.low


@dataclass(frozen=True)
class Quality:
    service: str  # "" for all services together
    day: date | None  # None for a whole period
    called: int
    coverage: float | None
    median_error_minutes: float | None
    median_width_minutes: float | None


def measure(service: str, day: date | None, outcomes: Sequence[Outcome]) -> Quality:
    if not outcomes:
        return Quality(service, day, 0, None, None, None)
    return Quality(
        service=service,
        day=day,
        called=len(outcomes),
        coverage=sum(o.inside for o in outcomes) / len(outcomes),
        median_error_minutes=round(median(o.error_minutes for o in outcomes), 1),
        median_width_minutes=round(median(o.width_minutes for o in outcomes), 1),
    )


def per_service_and_day(outcomes: Iterable[Outcome]) -> list[Quality]:
    groups: dict[tuple[str, date], list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        groups[(outcome.service, outcome.day)].append(outcome)
    return [measure(s, d, groups[(s, d)]) for s, d in sorted(groups)]


def per_service(outcomes: Iterable[Outcome]) -> list[Quality]:
    """A period's figures per service, then all services together (service "")."""
    groups: dict[str, list[Outcome]] = defaultdict(list)
    everything: list[Outcome] = []
    for outcome in outcomes:
        groups[outcome.service].append(outcome)
        everything.append(outcome)
    rows = [measure(s, None, groups[s]) for s in sorted(groups)]
    if rows:
        rows.append(measure("", None, everything))
    return rows
