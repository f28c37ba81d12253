"""The calibration fitted from a scripted set of outcomes has the expected 10 % and 90 %
residual quantiles per bucket of people ahead, per service where the service has enough
outcomes of its own, hall-wide otherwise; and a range at issue is the midpoint plus them."""

from __future__ import annotations

from queue_server.domain.estimate import WaitEstimate
from queue_server.domain.estimate_calibration import (
    DEFAULT_RESIDUALS,
    MIN_SAMPLES,
    CalibrationSample,
    bucket,
    fit,
)


def _outcomes(service: str, ahead: int, residuals: range, midpoint: float = 20.0) -> list:
    return [CalibrationSample(service, ahead, midpoint, midpoint + r) for r in residuals]


def test_the_buckets_of_people_ahead() -> None:
    assert [bucket(n) for n in (1, 2, 3, 5, 6, 10, 11, 20, 21, 400)] == [
        1, 1, 3, 3, 6, 6, 11, 11, 21, 21,
    ]  # fmt: skip


def test_quantiles_hall_wide_and_per_service() -> None:
    # Bucket 1-2 ahead: TAX waited 0..100 minutes past its midpoint (101 outcomes), SOC
    # 10 outcomes -5..4 (too few for a table of its own). Bucket 3-5: SOC only, -20..19.
    samples = (
        _outcomes("TAX", 1, range(0, 101))
        + _outcomes("SOC", 2, range(-5, 5))
        + _outcomes("SOC", 4, range(-20, 20))
        + _outcomes("TAX", 0, range(500, 600))  # nobody ahead: not calibrated, left out
    )
    fitted = fit(samples)
    assert fitted.source == "hall" and fitted.samples == 151
    # TAX on its own: 10 % of 0..100 is 10, 90 % is 90.
    assert fitted.residuals("TAX", 2) == (10.0, 90.0)
    # Hall-wide bucket 1 (111 outcomes: -5..4 and 0..100): sorted, position 11 and 99.
    everything = sorted([*range(-5, 5), *range(0, 101)])
    assert fitted.residuals("SOC", 1) == (everything[11], everything[99])
    assert fitted.residuals("RES", 1) == fitted.residuals("SOC", 1)
    # Bucket 3-5, 40 outcomes -20..19: 10 % at position 3.9, 90 % at 35.1 (linear).
    assert fitted.residuals("SOC", 3) == (-16.1, 15.1)
    # Buckets nobody was in: the default table.
    assert fitted.residuals("SOC", 8) == DEFAULT_RESIDUALS[6]
    assert fitted.residuals("TAX", 30) == DEFAULT_RESIDUALS[21]


def test_the_range_is_the_midpoint_plus_the_residuals() -> None:
    fitted = fit(_outcomes("TAX", 1, range(0, 101)))
    base = WaitEstimate(6, 14, "measured")  # midpoint 10
    shown = fitted.apply(base, "TAX", 1)
    assert (shown.low_minutes, shown.high_minutes, shown.basis) == (20, 100, "calibrated")
    assert shown.base_midpoint == 10.0 and shown.text == "20-100 min"
    assert MIN_SAMPLES <= 101
