"""Estimated wait as a range, from measured handling times and the windows open now."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import quantiles

MIN_SAMPLES = 5
MIN_SPREAD_MINUTES = 2


@dataclass(frozen=True)
class WaitEstimate:
    low_minutes: int | None
    high_minutes: int | None
    basis: str  # "measured", "default" or "no_window_open"

    @property
    def text(self) -> str:
        if self.low_minutes is None or self.high_minutes is None:
            return "—"
        return f"{self.low_minutes}-{self.high_minutes} min"


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
