"""How often the wait estimate given at issue holds, on simulated days of the demo hall.

Each day is simulated whole in memory (its own seed; ordinary days at 0.7-1.0 times the
hall's usual volume, busy days at 1.2-1.4, as bench_forecast draws them). For every ticket the
estimate is recomputed at its issue instant from what the floor showed then — the people ahead
by the call policy's tiers, the windows open and unpaused with their service weights, the
measured handling times so far, and for nobody ahead each window's own state
(`queue_server/queueing/estimates_seen.py`) — with the server's own functions, and compared
with the ticket's real wait to its first call (`domain/estimate_quality.py`: coverage, median
error of the midpoint, median width).

In the same run, on the same tickets:

* **ranges only (before #26)**: the quartile range for every ticket;
* **about N, quartile ranges (before this change)**: "about N minutes" for nobody ahead,
  the quartile range otherwise;
* **shipped**: what the server gives now — `estimate_at_issue`
  (`domain/estimate_calibration.py`): about N for nobody ahead, otherwise the quartile
  midpoint plus the residual quantiles of the calibration, either the default table (a hall
  without history) or one fitted by the server's own `fit` on the outcomes the hall would have
  recorded over 20 *other* simulated days of the same kind (training seeds).

    .venv/bin/python -m bench.bench_estimate_coverage [--days 20] [--train-days 20] [--seed 0]
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable, Sequence
from datetime import date, timedelta

from queue_server.config import HallConfig, load_hall_config
from queue_server.demo import EXAMPLE_CONFIG
from queue_server.domain.estimate import (
    WaitEstimate,
    about_when_nobody_ahead,
    estimate_wait,
)
from queue_server.domain.estimate_calibration import DEFAULT_CALIBRATION, Calibration, fit
from queue_server.domain.estimate_quality import Outcome, Quality, measure
from queue_server.queueing.demand import hall_model
from queue_server.queueing.estimates_seen import Seen, observe, samples_of, shown
from queue_server.queueing.memory import simulate_day
from queue_server.queueing.planning import DayPlan, plan_day
from queue_server.queueing.records import DayResult

FIRST_DAY = date(2026, 11, 2)
ORDINARY = (0.7, 1.0)
BUSY = (1.2, 1.4)


def working_days(config: HallConfig, start: date, count: int) -> list[date]:
    calendar = config.hall.calendar()
    days: list[date] = []
    day = start
    while len(days) < count:
        if calendar.is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def simulate(
    config: HallConfig, day: date, seed: int, scales: tuple[float, float]
) -> tuple[DayPlan, DayResult]:
    scale = random.Random(f"bench-estimate:{seed}:{day}").uniform(*scales)
    plan = plan_day(config, day, hall_model(config).scaled(scale), seed)
    return plan, simulate_day(config, plan)


Estimator = Callable[[Seen], WaitEstimate]


def today(s: Seen) -> WaitEstimate:
    if s.ahead == 0:
        about = about_when_nobody_ahead(s.windows, s.samples, s.default_minutes)
        if about is not None:
            return about
    return estimate_wait(s.ahead, s.capacity, s.samples, s.default_minutes)


def ranges_only(s: Seen) -> WaitEstimate:
    return estimate_wait(s.ahead, s.capacity, s.samples, s.default_minutes)


def shipped(calibration: Calibration) -> Estimator:
    """What the server gives now: the same function as issuing (`estimate_at_issue`)."""

    def estimate(s: Seen) -> WaitEstimate:
        return shown(s, calibration)

    return estimate


def quality(label: str, seen: Sequence[Seen], estimator: Estimator) -> tuple[str, Quality, int]:
    outcomes = []
    missing = 0
    for s in seen:
        e = estimator(s)
        if e.low_minutes is None or e.high_minutes is None:
            missing += 1
            continue
        assert s.waited is not None
        outcomes.append(Outcome(s.service, FIRST_DAY, e.low_minutes, e.high_minutes, s.waited))
    return label, measure("", None, outcomes), missing


def line(label: str, q: Quality, missing: int) -> str:
    coverage = "-" if q.coverage is None else f"{100 * q.coverage:.0f} %"
    return (
        f"| {label} | {q.called} | {coverage} | {q.median_width_minutes} | "
        f"{q.median_error_minutes} | {missing} |"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=20)
    parser.add_argument("--train-days", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    config = load_hall_config(EXAMPLE_CONFIG)
    test_days = working_days(config, FIRST_DAY, args.days)
    train_days = working_days(config, FIRST_DAY + timedelta(days=120), args.train_days)
    for label, scales in (("ordinary", ORDINARY), ("busy", BUSY)):
        # The hall's own history: the 20 working days before, as the server fits it (the
        # outcomes the hall would have recorded, `fit` with its minimum counts and fallbacks).
        training = [
            s
            for i, day in enumerate(train_days)
            for s in observe(
                config, *simulate(config, day, 7_000_000 + args.seed * 1000 + i, scales)
            )
        ]
        fitted = fit(samples_of(training, DEFAULT_CALIBRATION))
        seen = [
            s
            for i, day in enumerate(test_days)
            for s in observe(config, *simulate(config, day, args.seed * 1000 + i, scales))
            if s.waited is not None
        ]
        nobody = [s for s in seen if s.ahead == 0]
        queued = [s for s in seen if s.ahead > 0]
        print(
            f"\n{label} days (x{scales[0]}-{scales[1]} of the usual volume): {len(test_days)} "
            f"days, {len(seen)} tickets called ({len(nobody)} with nobody ahead); calibration "
            f"fitted on {len(train_days)} other days ({fitted.samples} outcomes with people "
            f"ahead, {sum(len(t) for t in fitted.services.values())} service buckets of their "
            "own)\n"
        )
        print(
            "| estimator | tickets | coverage | median width min | median error min | no estimate |"
        )
        print("|---|---|---|---|---|---|")
        for name, q, missing in (
            quality("ranges only (before #26)", seen, ranges_only),
            quality("about N, quartile ranges (before this change)", seen, today),
            quality("shipped, default table (no history)", seen, shipped(DEFAULT_CALIBRATION)),
            quality("shipped, fitted on the hall's 20 days", seen, shipped(fitted)),
            quality("  nobody ahead: ranges only", nobody, ranges_only),
            quality("  nobody ahead: shipped (about N)", nobody, shipped(fitted)),
            quality("  people ahead: quartile ranges", queued, today),
            quality("  people ahead: shipped, default table", queued, shipped(DEFAULT_CALIBRATION)),
            quality("  people ahead: shipped, fitted", queued, shipped(fitted)),
        ):
            print(line(name, q, missing))
        widest = max(
            (shipped(fitted)(s).high_minutes or 0) - (shipped(fitted)(s).low_minutes or 0)
            for s in queued
        )
        print(f"\nwidest shipped range: {widest} min")


if __name__ == "__main__":
    main()
