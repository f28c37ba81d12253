"""Never an absurd range: whatever the history (a day of outage in it, residuals of hours),
the range told is at most MAX_WIDTH_MINUTES wide (half the afternoon session: wider tells the
visitor nothing to plan with) — its low end, when to be back, is kept and its high end cut —,
never starts below zero, and is at least MIN_SPREAD_MINUTES wide."""

from __future__ import annotations

import pytest

from queue_server.domain.estimate import MIN_SPREAD_MINUTES, WaitEstimate
from queue_server.domain.estimate_calibration import (
    MAX_WIDTH_MINUTES,
    Calibration,
    CalibrationSample,
    fit,
)


def test_hours_of_residuals_are_cut_to_the_cap() -> None:
    # Outcomes from 5 minutes early to 6 hours late.
    chaos = [CalibrationSample("TAX", 3, 20.0, 15.0 + 3 * i) for i in range(120)]
    fitted = fit(chaos)
    low_residual, high_residual = fitted.residuals("TAX", 4)
    assert high_residual - low_residual > 2 * MAX_WIDTH_MINUTES  # the fit itself is absurd
    shown = fitted.apply(WaitEstimate(12, 28, "measured"), "TAX", 4)  # midpoint 20
    assert shown.low_minutes is not None and shown.high_minutes is not None
    assert shown.high_minutes - shown.low_minutes == MAX_WIDTH_MINUTES
    # The low end is the midpoint plus the 10 % residual (about 31 minutes late), kept.
    assert shown.low_minutes == int(20 + low_residual)


@pytest.mark.parametrize(
    ("residuals", "expected"),
    [
        ((-60.0, -40.0), (0, MIN_SPREAD_MINUTES)),  # waits shorter than the midpoint: from 0
        ((-2.0, -1.0), (8, 10)),  # a narrow fit: at least MIN_SPREAD_MINUTES
        ((-100.0, 300.0), (0, MAX_WIDTH_MINUTES)),  # 400 wide: from 0, cut
        ((200.0, 400.0), (210, 210 + MAX_WIDTH_MINUTES)),  # all late: from 210, cut
    ],
)
def test_bounds(residuals: tuple[float, float], expected: tuple[int, int]) -> None:
    calibration = Calibration(hall={1: residuals}, source="hall")
    shown = calibration.apply(WaitEstimate(8, 12, "measured"), "SOC", 1)  # midpoint 10
    assert (shown.low_minutes, shown.high_minutes) == expected
