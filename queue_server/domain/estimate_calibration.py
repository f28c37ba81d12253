"""Wait ranges for visitors with people ahead, calibrated on how long visitors really waited.

The quartile range of `estimate.estimate_wait` is too narrow once people are ahead (it covered
about 70 % of them in bench_estimate_coverage): the queue's own randomness — who is slow, who
leaves, priority tickets cutting in — is wider than the spread of handling times. So the range
shown is the quartile range's *midpoint* plus the 10 % and 90 % quantiles of the residuals
(real wait minus that midpoint) recorded on the hall's past tickets, per bucket of people
ahead: by construction about 80 % of visitors are called inside it.

Per service when the service has enough outcomes in the bucket, otherwise the hall's outcomes
of every service in that bucket, otherwise the default table (`DEFAULT_RESIDUALS`, fitted on
simulated days of the demo hall). Nobody ahead keeps "about N minutes" from the windows'
state (`estimate.about_when_nobody_ahead`).
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from queue_server.domain.estimate import (
    MIN_SPREAD_MINUTES,
    WaitEstimate,
    WindowState,
    about_when_nobody_ahead,
    estimate_wait,
)

# People ahead: 1-2, 3-5, 6-10, 11-20, 21+ (the lower bound of each bucket).
BUCKETS = (1, 3, 6, 11, 21)
LOW_QUANTILE = 0.1
HIGH_QUANTILE = 0.9
# Fewer outcomes than this in a bucket and its 10 % / 90 % quantiles are one or two visitors'
# waits: the next level up (the hall, then the default) is used instead.
MIN_SAMPLES = 30
# Never an absurd range. A range wider than 90 minutes (half of the hall's afternoon session)
# tells the visitor nothing to plan with, and one chaotic day in the history (a network
# outage, a window closed for hours) must not print "5-200 min" on every ticket: the range's
# high end is cut to MAX_WIDTH_MINUTES above its low end (the low end, when to be back at the
# latest, is kept). The benchmark's widest range was 79 minutes: the cap only cuts a history
# gone wrong.
MAX_WIDTH_MINUTES = 90

# Fitted on 40 simulated days of the demo hall (20 ordinary, 20 busy; seeds apart from the
# benchmark's), 2615 outcomes with people ahead; 11+ ahead was too rare there and keeps the
# 6-10 bucket's values. Regenerate with:
#   python -m bench.fit_default_calibration --days 20
# bucket's lower bound -> (10 % residual, 90 % residual) in minutes.
DEFAULT_RESIDUALS: Mapping[int, tuple[float, float]] = {
    1: (-15.2, 19.6),
    3: (-25.2, 24.6),
    6: (-35.6, 23.2),
    11: (-35.6, 23.2),
    21: (-35.6, 23.2),
}


def bucket(ahead: int) -> int:
    """The lower bound of the bucket of people ahead `ahead` (>= 1) falls in."""
    return BUCKETS[max(bisect.bisect_right(BUCKETS, ahead) - 1, 0)]


@dataclass(frozen=True)
class CalibrationSample:
    """One past visitor with people ahead: what the estimate's midpoint was before calibration,
    how many were ahead, and how long they really waited until the first call."""

    service: str
    ahead: int
    midpoint: float
    waited_minutes: float

    @property
    def residual(self) -> float:
        return self.waited_minutes - self.midpoint


@dataclass(frozen=True)
class Calibration:
    """Residual quantiles per bucket: `hall` for all services together, `services` per
    service; `source` says where the hall-wide table came from ("hall" or "default")."""

    hall: Mapping[int, tuple[float, float]]
    services: Mapping[str, Mapping[int, tuple[float, float]]] = field(default_factory=dict)
    source: str = "default"
    samples: int = 0

    def residuals(self, service: str, ahead: int) -> tuple[float, float]:
        b = bucket(ahead)
        own = self.services.get(service, {})
        if b in own:
            return own[b]
        if b in self.hall:
            return self.hall[b]
        return DEFAULT_RESIDUALS[b]

    def apply(self, base: WaitEstimate, service: str, ahead: int) -> WaitEstimate:
        """The range shown for `base` (the quartile range) with `ahead` >= 1 people ahead."""
        if ahead < 1 or base.low_minutes is None or base.high_minutes is None:
            return base
        mid = (base.low_minutes + base.high_minutes) / 2
        low_residual, high_residual = self.residuals(service, ahead)
        low = max(0, math.floor(mid + low_residual))
        high = max(math.ceil(mid + high_residual), low + MIN_SPREAD_MINUTES)
        # The low end is when the visitor must be back: it is kept, the high end is cut.
        high = min(high, low + MAX_WIDTH_MINUTES)
        return WaitEstimate(low, high, "calibrated", base_midpoint=mid)


DEFAULT_CALIBRATION = Calibration(hall=DEFAULT_RESIDUALS, source="default")


def quantile(ordered: Sequence[float], q: float) -> float:
    """The `q` quantile of sorted values, linear between neighbours."""
    position = q * (len(ordered) - 1)
    lower = math.floor(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def _table(groups: Mapping[int, list[float]], min_samples: int) -> dict[int, tuple[float, float]]:
    table = {}
    for b, residuals in groups.items():
        if len(residuals) >= min_samples:
            ordered = sorted(residuals)
            table[b] = (
                round(quantile(ordered, LOW_QUANTILE), 1),
                round(quantile(ordered, HIGH_QUANTILE), 1),
            )
    return table


def fit(
    samples: Iterable[CalibrationSample],
    *,
    min_samples: int = MIN_SAMPLES,
    default: Calibration = DEFAULT_CALIBRATION,
) -> Calibration:
    """Residual quantiles per bucket, hall-wide and per service, from past outcomes; a bucket
    with fewer than `min_samples` outcomes is left to the next level (service -> hall ->
    `default`). No bucket with enough outcomes at all: `default` itself."""
    everything: dict[int, list[float]] = defaultdict(list)
    per_service: dict[str, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    count = 0
    for sample in samples:
        if sample.ahead < 1:
            continue
        count += 1
        b = bucket(sample.ahead)
        everything[b].append(sample.residual)
        per_service[sample.service][b].append(sample.residual)
    hall = _table(everything, min_samples)
    if not hall:
        return default
    services = {s: t for s, groups in per_service.items() if (t := _table(groups, min_samples))}
    merged = {**default.hall, **hall}
    return Calibration(hall=merged, services=services, source="hall", samples=count)


def estimate_at_issue(
    ahead: int,
    open_capacity: float,
    handling_minutes: Sequence[float],
    default_minutes: float,
    *,
    service: str,
    calibration: Calibration,
    windows: Sequence[WindowState] | None,
) -> WaitEstimate:
    """The wait a visitor is told: nobody ahead and a window open, "about N minutes" from the
    windows' state (`windows`; None for a ticket sent to one window by name); people ahead,
    the quartile range's midpoint with the calibrated residuals."""
    if ahead == 0 and windows is not None:
        about = about_when_nobody_ahead(windows, handling_minutes, default_minutes)
        if about is not None:
            return about
    base = estimate_wait(ahead, open_capacity, handling_minutes, default_minutes)
    return calibration.apply(base, service, ahead)


def issued_payload(estimate: WaitEstimate, ahead: int) -> dict[str, object]:
    """What `ticket.issued` records of the wait told: the range shown (`estimate`, null when
    no window was open), "about N" when that was the figure, and for a calibrated range the
    people ahead and the midpoint before calibration (what the next fit needs)."""
    fields: dict[str, object] = {
        "estimate": None
        if estimate.low_minutes is None or estimate.high_minutes is None
        else [estimate.low_minutes, estimate.high_minutes],
    }
    if estimate.about_minutes is not None:
        fields["about"] = estimate.about_minutes
    if estimate.base_midpoint is not None:
        fields["ahead"] = ahead
        fields["midpoint"] = estimate.base_midpoint
    return fields


def sample_of(payload: Mapping[str, object], waited_minutes: float) -> CalibrationSample | None:
    """A recorded `ticket.issued` payload and the real wait as a calibration outcome; None for
    tickets with nobody ahead or issued before the midpoint was recorded."""
    ahead, midpoint = payload.get("ahead"), payload.get("midpoint")
    if not isinstance(ahead, int) or not isinstance(midpoint, int | float) or ahead < 1:
        return None
    return CalibrationSample(
        str(payload.get("service", "")), ahead, float(midpoint), waited_minutes
    )
