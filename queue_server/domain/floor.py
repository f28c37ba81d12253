"""Rules of the floor monitor that are not alerts: how a window's state reads, how a service
level is measured and coloured, how long a backup cover (B岗顶岗) may be, chart buckets."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from queue_server.domain.errors import RuleViolation


class Colour(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    GREY = "grey"  # nothing to measure yet


class WindowState(StrEnum):
    SERVING = "serving"
    CALLED = "called"
    IDLE = "idle"
    PAUSED = "paused"
    UNATTENDED = "unattended"
    CLOSED = "closed"


def window_state(
    *,
    is_open: bool,
    paused: bool,
    staffed: bool,
    ticket_state: str | None,
    in_hours: bool,
) -> WindowState:
    if not is_open:
        return WindowState.CLOSED
    if paused:
        return WindowState.PAUSED
    if ticket_state in ("serving", "called"):
        return WindowState(ticket_state)
    if not staffed and in_hours:
        return WindowState.UNATTENDED
    return WindowState.IDLE


def device_status(last_seen: datetime | None, now: datetime, silence: timedelta) -> str:
    """online, offline (silent longer than `silence`) or not_reporting (never reported)."""
    if last_seen is None:
        return "not_reporting"
    return "offline" if now - last_seen > silence else "online"


def service_level(waits: Iterable[timedelta], target: timedelta) -> float | None:
    """Share of today's called visitors who waited no longer than the target (None: none)."""
    values = list(waits)
    if not values:
        return None
    return sum(1 for w in values if w <= target) / len(values)


def service_level_of_counts(within: int, called: int) -> float | None:
    """The same share from counts already made (`within` of `called` waited no longer than
    the target; None: nobody called yet)."""
    return within / called if called else None


def wait_colour(longest: timedelta | None, target: timedelta, warn_share: float) -> Colour:
    """Green well under target, amber past `warn_share` of it, red over it."""
    if longest is None:
        return Colour.GREEN
    if longest > target:
        return Colour.RED
    if longest >= target * warn_share:
        return Colour.AMBER
    return Colour.GREEN


def level_colour(level: float | None, target: float, amber_margin: float = 0.1) -> Colour:
    if level is None:
        return Colour.GREY
    if level >= target:
        return Colour.GREEN
    if level >= target - amber_margin:
        return Colour.AMBER
    return Colour.RED


def queue_colour(waiting: int, limit: int) -> Colour:
    if waiting > limit:
        return Colour.RED
    if waiting > limit * 2 // 3:
        return Colour.AMBER
    return Colour.GREEN


@dataclass(frozen=True)
class CoverLimits:
    min_minutes: int = 30
    max_minutes: int = 120


def check_cover_minutes(minutes: int, limits: CoverLimits) -> None:
    """B岗顶岗 is for a clerk away from 30 minutes to 2 hours; shorter is a pause, longer is
    leave and needs another arrangement."""
    if not limits.min_minutes <= minutes <= limits.max_minutes:
        raise RuleViolation(
            f"a backup cover lasts {limits.min_minutes} to {limits.max_minutes} minutes, "
            f"not {minutes}; a shorter absence is a pause, a longer one is leave",
            code="cover_out_of_range",
        )


WAIT_BUCKETS_MINUTES: tuple[int, ...] = (5, 10, 15, 20, 30, 45, 60)


def wait_histogram(
    waits: Iterable[timedelta], bounds: Sequence[int] = WAIT_BUCKETS_MINUTES
) -> list[tuple[str, int]]:
    """Counts per bucket: '0-5', '5-10', ..., '60+' (minutes, upper bound exclusive)."""
    labels = [f"{lo}-{hi}" for lo, hi in zip((0, *bounds[:-1]), bounds, strict=True)]
    labels.append(f"{bounds[-1]}+")
    counts = [0] * len(labels)
    for wait in waits:
        minutes = wait.total_seconds() / 60
        index = next((i for i, hi in enumerate(bounds) if minutes < hi), len(bounds))
        counts[index] += 1
    return list(zip(labels, counts, strict=True))


def average_by_hour(days: Sequence[dict[int, int]], hours: Sequence[int]) -> list[float]:
    """The mean count per hour over several days (a day without tickets in an hour counts 0)."""
    if not days:
        return [0.0 for _ in hours]
    return [round(sum(day.get(h, 0) for day in days) / len(days), 2) for h in hours]
