"""Estimated wait as a range, from measured handling times and the windows open now."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from statistics import quantiles

MIN_SAMPLES = 5
MIN_SPREAD_MINUTES = 2


@dataclass(frozen=True)
class WaitEstimate:
    low_minutes: int | None
    high_minutes: int | None
    basis: str  # "measured", "default", "window_state", "calibrated" or "no_window_open"
    # Nobody ahead: the one figure the visitor reads ("about N minutes"); the range above is
    # still what the estimate's accuracy is measured by.
    about_minutes: int | None = None
    # Calibrated (people ahead): the quartile range's midpoint the hall's residuals were added
    # to, recorded at issue so the next calibration is fitted on the same quantity.
    base_midpoint: float | None = None

    @property
    def text(self) -> str:
        if self.low_minutes is None or self.high_minutes is None:
            return "—"
        if self.about_minutes is not None:
            return f"about {self.about_minutes} min"
        return f"{self.low_minutes}-{self.high_minutes} min"


def capacity_of(shares: Iterable[tuple[int, int]]) -> float:
    """A service's open capacity: each open, unpaused window serving it counts by its share of
    attention, (its weight for the service, its weights' total), summed in window order."""
    return sum(weight / total for weight, total in shares)


def _quartiles(samples: Sequence[float], default_minutes: float) -> tuple[float, float, str]:
    if len(samples) >= MIN_SAMPLES:
        q1, _median, q3 = quantiles(samples, n=4, method="inclusive")
        return max(q1, 0.5), max(q3, q1, 0.5), "measured"
    return default_minutes * 0.7, default_minutes * 1.3, "default"


def estimate_wait(
    ahead: int,
    open_capacity: float,
    handling_minutes: Sequence[float],
    default_minutes: float,
) -> WaitEstimate:
    """Range of minutes until this visitor is called.

    `ahead` is how many tickets will be called before this one for its service;
    `open_capacity` the number of open windows serving the service, each counted by the share
    of its attention the service gets (its weight over the window's total weight);
    `handling_minutes` recent measured handling times of the service.

    The share of attention spreads the people ahead over the open windows; the case a window
    is busy with now delays this visitor by at most one handling time, whatever the share. So
    nobody ahead reads "0 to one handling time", not one handling time divided by a share
    (a window giving the service 1/20 of its attention made that 0-300 minutes).
    """
    if open_capacity <= 0:
        return WaitEstimate(None, None, "no_window_open")
    fast, slow, basis = _quartiles(handling_minutes, default_minutes)
    low = math.floor(ahead * fast / open_capacity)
    high = math.ceil(ahead * slow / open_capacity + slow)
    high = max(high, low + MIN_SPREAD_MINUTES)
    return WaitEstimate(low, high, basis)


@dataclass(frozen=True)
class WindowState:
    """An open window serving the visitor's service, as it stands now."""

    paused: bool
    busy_minutes: float | None  # since its current case was called; None: free
    # Waiting tickets of services this window weighs above the visitor's: it calls them first.
    before: int = 0


def remaining_minutes(
    elapsed: float, samples: Sequence[float], default_minutes: float
) -> tuple[float, float, float]:
    """The rest of a case already `elapsed` minutes old, as (10 %, median, 90 %): from what
    the measured cases that lasted that long still took; with few measurements, around the
    service's default handling time less what has passed. A case older than every measured
    one ends about now."""
    if len(samples) < MIN_SAMPLES:
        rest = max(default_minutes - elapsed, 0.0)
        return rest * 0.5, rest, rest * 1.5
    longer = sorted(s - elapsed for s in samples if s > elapsed)
    if not longer:
        return 0.0, 0.0, 1.0

    def at(q: float) -> float:
        return longer[round(q * (len(longer) - 1))]

    # The lower median: one long case must not rule the figure.
    return at(0.1), longer[(len(longer) - 1) // 2], at(0.9)


def about_when_nobody_ahead(
    windows: Sequence[WindowState], handling_minutes: Sequence[float], default_minutes: float
) -> WaitEstimate | None:
    """Nobody ahead for the service: the wait is until the soonest open window is free for
    it, read from the windows themselves (a free one calls at once; a busy one when its case
    ends; one that weighs other waiting services higher after those). The visitor reads one
    figure, "about N minutes"; the range behind it (the soonest window's 10 % to 90 %) is what
    its accuracy is measured by. None: no window is open and unpaused."""
    open_now = [w for w in windows if not w.paused]
    if not open_now:
        return None
    samples = list(handling_minutes)
    if len(samples) >= MIN_SAMPLES:
        ordered = sorted(samples)
        typical = ordered[(len(ordered) - 1) // 2]
        spread = (
            ordered[round(0.1 * (len(ordered) - 1))],
            ordered[round(0.9 * (len(ordered) - 1))],
        )
    else:
        typical = default_minutes
        spread = (default_minutes * 0.7, default_minutes * 1.3)
    lows, points, highs = [], [], []
    for w in open_now:
        low, point, high = (
            (0.0, 0.0, 1.0)
            if w.busy_minutes is None
            else remaining_minutes(w.busy_minutes, samples, default_minutes)
        )
        lows.append(low + w.before * spread[0])
        points.append(point + w.before * typical)
        highs.append(high + w.before * spread[1])
    # The soonest of several windows: each bound is the soonest window's.
    low_minutes = math.floor(min(lows))
    high_minutes = max(math.ceil(min(highs)), low_minutes + 1)
    about = min(max(1, math.ceil(min(points))), high_minutes)
    return WaitEstimate(low_minutes, high_minutes, "window_state", about_minutes=about)
