"""How often the wait estimate given at issue holds, on simulated days of the demo hall.

Each day is simulated whole in memory (its own seed; ordinary days at 0.7-1.0 times the
hall's usual volume, busy days at 1.2-1.4, as bench_forecast draws them). For every ticket the
estimate is recomputed at its issue instant from what the floor showed then — the people ahead
by the call policy's tiers, the windows open and unpaused with their service weights, the
measured handling times so far, and for nobody ahead each window's own state — exactly as
`domain/estimate.py` computes it for the kiosk, and compared with the ticket's real wait to its
first call (`domain/estimate_quality.py`: coverage, median error of the midpoint, median
width).

In the same run, beside today's estimator:

* **today, ranges only**: the same without the "about N minutes" rule for nobody ahead (the
  estimator before it), the baseline the new rule is measured against;
* **calibrated**: today's midpoint plus residual quantiles (10 % and 90 %) per bucket of
  people ahead, fitted on *other* simulated days (training seeds), aiming at 80 % coverage.

    .venv/bin/python -m bench.bench_estimate_coverage [--days 20] [--train-days 20] [--seed 0]
"""

from __future__ import annotations

import argparse
import bisect
import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from queue_server.config import HallConfig, load_hall_config
from queue_server.demo import EXAMPLE_CONFIG
from queue_server.domain.estimate import (
    WaitEstimate,
    WindowState,
    about_when_nobody_ahead,
    estimate_wait,
)
from queue_server.domain.estimate_quality import Outcome, Quality, measure
from queue_server.domain.tickets import Priority
from queue_server.queueing.demand import hall_model
from queue_server.queueing.memory import simulate_day
from queue_server.queueing.planning import DayPlan, plan_day
from queue_server.queueing.records import DayResult, TicketRecord

FIRST_DAY = date(2026, 11, 2)
ORDINARY = (0.7, 1.0)
BUSY = (1.2, 1.4)
HANDLING_SAMPLES = 50
BUCKETS = (0, 1, 3, 6, 11, 21)  # people ahead: 0, 1-2, 3-5, 6-10, 11-20, 21+


@dataclass(frozen=True)
class Seen:
    """What the floor showed at one ticket's issue, and what then happened."""

    service: str
    ahead: int
    capacity: float
    samples: tuple[float, ...]
    default_minutes: float
    windows: tuple[WindowState, ...]
    waited: float


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


def _minute(instant: datetime, midnight: datetime) -> float:
    return (instant - midnight).total_seconds() / 60


def observe(config: HallConfig, plan: DayPlan, result: DayResult) -> list[Seen]:
    calendar = config.hall.calendar()
    midnight = calendar.at(plan.day, datetime.min.time())
    guard = timedelta(minutes=config.call_policy.guard_minutes)
    shifts = {w.number: w.shifts for w in plan.windows}
    weights = {w.number: dict(w.services) for w in config.windows}
    pauses = defaultdict(list)
    for p in result.pauses:
        pauses[p.window].append((p.start, p.end))
    defaults = {s.code: s.default_handling_minutes for s in config.services}
    tickets = [t for t in result.tickets if t.ticket is not None]
    seen = []
    for r in tickets:
        if r.called_at is None:
            continue
        t = r.issued_at
        minute = _minute(t, midnight)
        waiting = [
            o
            for o in tickets
            if o is not r and o.issued_at <= t and (o.called_at is None or o.called_at > t)
        ]

        def first(o: TicketRecord, t: datetime = t) -> bool:
            return o.priority is not Priority.NORMAL or t - o.issued_at >= guard

        if r.priority is Priority.NORMAL:
            ahead = sum(1 for o in waiting if o.service == r.service)
        else:
            ahead = sum(
                1 for o in waiting if o.service == r.service and first(o) and o.issued_at <= t
            )
        open_now = [
            n
            for n, spans in shifts.items()
            if any(a <= minute < b for a, b in spans) and not any(a <= t < b for a, b in pauses[n])
        ]
        capacity = sum(
            weights[n][r.service] / sum(weights[n].values())
            for n in open_now
            if r.service in weights[n]
        )
        done = sorted(
            (
                o
                for o in tickets
                if o.service == r.service
                and o.finished_at is not None
                and o.finished_at <= t
                and o.handling_minutes is not None
            ),
            key=lambda o: o.finished_at or t,
        )[-HANDLING_SAMPLES:]
        samples = tuple(o.handling_minutes or 0.0 for o in done)
        states = []
        for n, spans in shifts.items():
            if r.service not in weights[n] or not any(a <= minute < b for a, b in spans):
                continue
            busy = next(
                (
                    o
                    for o in tickets
                    if o is not r
                    and o.window == n
                    and o.called_at is not None
                    and o.called_at < t
                    and (o.finished_at is None or o.finished_at > t)
                ),
                None,
            )
            mine = weights[n][r.service]
            before = sum(
                1
                for o in waiting
                if o.service != r.service
                and o.service in weights[n]
                and (first(o) or weights[n][o.service] > mine)
            )
            states.append(
                WindowState(
                    paused=any(a <= t < b for a, b in pauses[n]),
                    busy_minutes=None
                    if busy is None or busy.called_at is None
                    else (t - busy.called_at).total_seconds() / 60,
                    before=before,
                )
            )
        seen.append(
            Seen(
                r.service,
                ahead,
                capacity,
                samples,
                defaults[r.service],
                tuple(states),
                r.wait_minutes or 0.0,
            )
        )
    return seen


Estimator = Callable[[Seen], WaitEstimate]


def today(s: Seen) -> WaitEstimate:
    if s.ahead == 0:
        about = about_when_nobody_ahead(s.windows, s.samples, s.default_minutes)
        if about is not None:
            return about
    return estimate_wait(s.ahead, s.capacity, s.samples, s.default_minutes)


def ranges_only(s: Seen) -> WaitEstimate:
    return estimate_wait(s.ahead, s.capacity, s.samples, s.default_minutes)


def bucket(ahead: int) -> int:
    return bisect.bisect_right(BUCKETS, ahead) - 1


def midpoint(s: Seen) -> float | None:
    e = today(s)
    if e.low_minutes is None or e.high_minutes is None:
        return None
    return (e.low_minutes + e.high_minutes) / 2


def calibrated(training: Sequence[Seen]) -> Estimator:
    residuals: dict[int, list[float]] = defaultdict(list)
    for s in training:
        point = midpoint(s)
        if point is not None:
            residuals[bucket(s.ahead)].append(s.waited - point)
    bounds = {}
    for b, values in residuals.items():
        values.sort()
        bounds[b] = (values[int(0.1 * (len(values) - 1))], values[int(0.9 * (len(values) - 1))])

    def estimate(s: Seen) -> WaitEstimate:
        point = midpoint(s)
        if point is None or bucket(s.ahead) not in bounds:
            return today(s)
        low_residual, high_residual = bounds[bucket(s.ahead)]
        low = max(0, round(point + low_residual))
        high = max(low, round(point + high_residual))
        return WaitEstimate(low, high, "calibrated")

    return estimate


def combined(fitted: Estimator) -> Estimator:
    def estimate(s: Seen) -> WaitEstimate:
        return today(s) if s.ahead == 0 else fitted(s)

    return estimate


def quality(label: str, seen: Sequence[Seen], estimator: Estimator) -> tuple[str, Quality, int]:
    outcomes = []
    missing = 0
    for s in seen:
        e = estimator(s)
        if e.low_minutes is None or e.high_minutes is None:
            missing += 1
            continue
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
        training = [
            s
            for i, day in enumerate(train_days)
            for s in observe(
                config, *simulate(config, day, 7_000_000 + args.seed * 1000 + i, scales)
            )
        ]
        seen = [
            s
            for i, day in enumerate(test_days)
            for s in observe(config, *simulate(config, day, args.seed * 1000 + i, scales))
        ]
        nobody = [s for s in seen if s.ahead == 0]
        queued = [s for s in seen if s.ahead > 0]
        fitted = calibrated(training)
        print(
            f"\n{label} days (x{scales[0]}-{scales[1]} of the usual volume): {len(test_days)} "
            f"days, {len(seen)} tickets called ({len(nobody)} with nobody ahead); calibrated on "
            f"{len(train_days)} other days\n"
        )
        print(
            "| estimator | tickets | coverage | median width min | median error min | no estimate |"
        )
        print("|---|---|---|---|---|---|")
        for name, q, missing in (
            quality("today, ranges only (before)", seen, ranges_only),
            quality("today (about N when nobody ahead)", seen, today),
            quality("calibrated (residual quantiles per people-ahead bucket)", seen, fitted),
            quality("about N when nobody ahead, else calibrated", seen, combined(fitted)),
            quality("  nobody ahead: ranges only", nobody, ranges_only),
            quality("  nobody ahead: about N from the windows", nobody, today),
            quality("  people ahead: today", queued, today),
            quality("  people ahead: calibrated", queued, fitted),
        ):
            print(line(name, q, missing))


if __name__ == "__main__":
    main()
