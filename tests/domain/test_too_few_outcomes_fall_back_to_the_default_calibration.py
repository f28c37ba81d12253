"""Fewer outcomes than the minimum in a bucket: the bucket is not fitted (its quantiles would be
one or two visitors' waits) and the default table, fitted on simulated days of the demo hall,
gives the range; with no bucket fitted at all the calibration is the default itself."""

from __future__ import annotations

import math

from queue_server.domain.estimate import WaitEstimate
from queue_server.domain.estimate_calibration import (
    DEFAULT_CALIBRATION,
    DEFAULT_RESIDUALS,
    MIN_SAMPLES,
    CalibrationSample,
    fit,
)


def _outcomes(count: int, ahead: int = 1, service: str = "TAX") -> list[CalibrationSample]:
    return [CalibrationSample(service, ahead, 10.0, 10.0 + 100 + i) for i in range(count)]


def test_one_short_of_the_minimum_is_the_default() -> None:
    fitted = fit(_outcomes(MIN_SAMPLES - 1))
    assert fitted is DEFAULT_CALIBRATION and fitted.source == "default"
    shown = fitted.apply(WaitEstimate(6, 14, "measured"), "TAX", 1)
    low, high = DEFAULT_RESIDUALS[1]
    # Midpoint 10, not the 110+ minutes these visitors waited; never below 0.
    assert (shown.low_minutes, shown.high_minutes) == (
        max(0, math.floor(10 + low)),
        math.ceil(10 + high),
    )


def test_the_minimum_fits_its_bucket_only() -> None:
    fitted = fit(_outcomes(MIN_SAMPLES) + _outcomes(MIN_SAMPLES - 1, ahead=4))
    assert fitted.source == "hall"
    assert fitted.residuals("TAX", 1)[0] >= 100  # the late waits of this hall
    assert fitted.residuals("TAX", 4) == DEFAULT_RESIDUALS[3]
    assert fitted.residuals("SOC", 4) == DEFAULT_RESIDUALS[3]
