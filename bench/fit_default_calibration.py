"""Fits the default calibration table of the wait ranges (`DEFAULT_RESIDUALS` in
`queue_server/domain/estimate_calibration.py`), the one a hall without enough history of its
own gets: simulated days of the demo hall, half ordinary (0.7-1.0 times the usual volume) and
half busy (1.2-1.4), seeds apart from bench_estimate_coverage's, fitted by the server's `fit`.
Prints the table to paste into the module.

    .venv/bin/python -m bench.fit_default_calibration [--days 10]
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Sequence
from datetime import timedelta

from bench.bench_estimate_coverage import BUSY, FIRST_DAY, ORDINARY, simulate, working_days
from queue_server.config import load_hall_config
from queue_server.demo import EXAMPLE_CONFIG
from queue_server.domain.estimate_calibration import (
    BUCKETS,
    DEFAULT_CALIBRATION,
    MIN_SAMPLES,
    bucket,
    fit,
)
from queue_server.queueing.estimates_seen import observe, samples_of

SEEDS = 9_000_000


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=10, help="of each kind (ordinary, busy)")
    args = parser.parse_args(argv)
    config = load_hall_config(EXAMPLE_CONFIG)
    days = working_days(config, FIRST_DAY + timedelta(days=240), args.days)
    samples = [
        sample
        for k, scales in enumerate((ORDINARY, BUSY))
        for i, day in enumerate(days)
        for sample in samples_of(
            observe(config, *simulate(config, day, SEEDS + 1000 * k + i, scales)),
            DEFAULT_CALIBRATION,
        )
    ]
    fitted = fit(samples)
    counts = Counter(bucket(s.ahead) for s in samples)
    print(f"# {len(samples)} outcomes with people ahead on {2 * len(days)} simulated days")
    print("DEFAULT_RESIDUALS: Mapping[int, tuple[float, float]] = {")
    previous = (0.0, 0.0)
    for b in BUCKETS:
        if counts[b] >= MIN_SAMPLES:
            low, high = previous = fitted.residuals("", b)
            note = f"{counts[b]} outcomes"
        else:
            # Too few simulated visitors this far back: the bucket below, not narrower.
            low, high = previous
            note = f"{counts[b]} outcomes: the bucket below's"
        print(f"    {b}: ({low}, {high}),  # {note}")
    print("}")


if __name__ == "__main__":
    main()
