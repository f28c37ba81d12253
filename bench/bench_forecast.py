"""Accuracy of the end-of-day forecast on simulated days of the demo hall.

Each day is simulated whole in memory (its own seed, a volume between 0.7 and 1.4 times the
hall's usual); the forecast is asked at 14:00 with what the floor shows then (and the usual
volumes as history) and its median end is compared with the day's simulated last finish.

In the same run: two constant baselines (always "closing time"; the mean end of these very
days, which knows the answers on average) and a reference that bounds what any forecast can
do: the same forecast told the day's true volume, so that only the afternoon's own chance
(who comes when, how long each case takes) is left in its error.

    .venv/bin/python -m bench.bench_forecast [--days 40] [--at 14:00] [--seed 0] [--runs 40]
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from statistics import fmean, median

from queue_server.config import HallConfig, load_hall_config
from queue_server.demo import EXAMPLE_CONFIG
from queue_server.queueing.demand import hall_model
from queue_server.queueing.forecast import ForecastSettings, forecast
from queue_server.queueing.memory import simulate_day
from queue_server.queueing.planning import plan_day
from queue_server.queueing.records import quantile
from queue_server.simulation.observed import hall_now_at

FIRST_DAY = date(2026, 11, 2)


SCALES = (0.7, 1.4)


@dataclass(frozen=True)
class Case:
    day: date
    scale: float
    actual: datetime
    predicted: datetime | None
    probability: float  # that the day ends by closing
    oracle: datetime | None  # the forecast told the true volume
    closing: datetime
    method: str
    advice: str
    seconds: float

    @property
    def error(self) -> float | None:
        return minutes_between(self.predicted, self.actual)

    @property
    def oracle_error(self) -> float | None:
        return minutes_between(self.oracle, self.actual)

    @property
    def late(self) -> bool:
        return self.actual > self.closing


def minutes_between(predicted: datetime | None, actual: datetime) -> float | None:
    return None if predicted is None else (predicted - actual).total_seconds() / 60


def minute_of_day(instant: datetime) -> float:
    return instant.hour * 60 + instant.minute + instant.second / 60


def working_days(config: HallConfig, count: int) -> list[date]:
    calendar = config.hall.calendar()
    days, day = [], FIRST_DAY
    while len(days) < count:
        if calendar.is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def run_case(
    config: HallConfig,
    day: date,
    seed: int,
    at: str,
    settings: ForecastSettings,
    scales: tuple[float, float] = SCALES,
) -> Case:
    scale = random.Random(f"bench:{seed}:{day}").uniform(*scales)
    usual = hall_model(config)
    true = usual.scaled(scale)
    plan = plan_day(config, day, true, seed)
    result = simulate_day(config, plan)
    calendar = config.hall.calendar()
    instant = calendar.at(day, datetime.strptime(at, "%H:%M").time())
    volumes = {code: d.daily_volume for code, d in usual.demand.items()}
    now = hall_now_at(config, plan, result, instant, usual_volumes=volumes)
    started = time.perf_counter()
    outlook = forecast(now, settings)
    seconds = time.perf_counter() - started
    told = hall_now_at(
        config,
        plan,
        result,
        instant,
        usual_volumes={code: d.daily_volume for code, d in true.demand.items()},
    )
    oracle = forecast(
        told, replace(settings, prior_arrivals=1e9, prior_hall_arrivals=1e9, target_probability=0.0)
    )
    actual = result.summary.last_finish
    assert actual is not None
    return Case(
        day=day,
        scale=scale,
        actual=actual,
        predicted=outlook.predicted_end,
        probability=outlook.probability_before_closing,
        oracle=oracle.predicted_end,
        closing=outlook.closing,
        method=outlook.method,
        advice=", ".join(f"+{a.extra_windows} {a.service}" for a in outlook.advice) or "-",
        seconds=seconds,
    )


def errors_line(label: str, errors: Sequence[float]) -> str:
    absolute = [abs(e) for e in errors]
    return (
        f"| {label} | {len(errors)} | {fmean(absolute):.1f} | {quantile(absolute, 0.9):.1f} | "
        f"{fmean(errors):+.1f} |"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=40)
    parser.add_argument("--at", default="14:00")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--runs", type=int, default=40, help="Monte Carlo runs per pool")
    parser.add_argument(
        "--scales", default="0.7,1.4", help="range of day volumes, times the usual (low,high)"
    )
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    config = load_hall_config(EXAMPLE_CONFIG)
    settings = ForecastSettings(runs=args.runs)
    low, high = (float(x) for x in args.scales.split(","))
    cases = [
        run_case(config, day, args.seed * 1000 + i, args.at, settings, (low, high))
        for i, day in enumerate(working_days(config, args.days))
    ]
    if args.verbose:
        for c in cases:
            predicted = "never" if c.predicted is None else f"{c.predicted:%H:%M}"
            print(
                f"{c.day} x{c.scale:.2f} actual {c.actual:%H:%M} forecast {predicted} "
                f"({c.method}; advice {c.advice}; {c.seconds:.2f} s)"
            )
    report(cases, args.at, args.scales)


def report(cases: Sequence[Case], at: str, scales: str) -> None:
    errors = [e for c in cases if (e := c.error) is not None]
    oracle = [e for c in cases if (e := c.oracle_error) is not None]
    mean_end = fmean(minute_of_day(c.actual) for c in cases)
    print(
        f"\nforecast at {at} on {len(cases)} simulated days of the demo hall, "
        f"volume x{scales.replace(',', '-')} of the usual\n"
    )
    print("| predictor | days | MAE min | p90 abs min | bias min |")
    print("|---|---|---|---|---|")
    print(errors_line("forecast (median end)", errors))
    for method in sorted({c.method for c in cases}):
        subset = [e for c in cases if c.method == method and (e := c.error) is not None]
        print(errors_line(f"  of which {method}", subset))
    print(errors_line("baseline: closing time", [minutes(c, c.closing) for c in cases]))
    print(
        errors_line(
            "baseline: mean end of these days",
            [mean_end - minute_of_day(c.actual) for c in cases],
        )
    )
    print(errors_line("reference: told the true volume", oracle))
    late = sum(1 for c in cases if c.late)
    base_rate = 1 - late / len(cases)
    brier = fmean((c.probability - (not c.late)) ** 2 for c in cases)
    brier_base = fmean((base_rate - (not c.late)) ** 2 for c in cases)
    said_late = sum(1 for c in cases if c.probability < 0.5)
    right = sum(1 for c in cases if (c.probability < 0.5) == c.late)
    print(
        f"\ndays ending after closing: {late}; forecast said late: {said_late}; "
        f"right side of closing: {right}/{len(cases)}; Brier score of P(done by closing) "
        f"{brier:.3f} (the base rate as a constant: {brier_base:.3f})"
    )
    seconds = [c.seconds for c in cases]
    print(f"forecast time: median {median(seconds):.2f} s, max {max(seconds):.2f} s")


def minutes(case: Case, predicted: datetime) -> float:
    return (predicted - case.actual).total_seconds() / 60


if __name__ == "__main__":
    main()
