"""A visitor with nobody ahead waits at most for the case a window is busy with now, even when
the only open window gives the service a small share of its attention."""

from __future__ import annotations

import pytest

from queue_server.domain.estimate import estimate_wait


@pytest.mark.parametrize("share", [1.0, 0.25, 1 / 20])
def test_nobody_ahead_reads_up_to_one_handling_time(share: float) -> None:
    estimate = estimate_wait(ahead=0, open_capacity=share, handling_minutes=[], default_minutes=10)
    assert (estimate.low_minutes, estimate.high_minutes) == (0, 13)  # 1.3 x the default


def test_nobody_ahead_with_measured_times_stays_within_the_slow_quartile() -> None:
    times = [4, 5, 6, 7, 8, 9, 30]
    estimate = estimate_wait(
        ahead=0, open_capacity=0.05, handling_minutes=times, default_minutes=10
    )
    assert estimate.low_minutes == 0
    assert estimate.high_minutes is not None and estimate.high_minutes <= 9


def test_people_ahead_are_still_spread_by_the_share() -> None:
    whole = estimate_wait(ahead=3, open_capacity=1, handling_minutes=[], default_minutes=10)
    quarter = estimate_wait(ahead=3, open_capacity=0.25, handling_minutes=[], default_minutes=10)
    assert whole.high_minutes == 4 * 13
    assert quarter.high_minutes == 3 * 13 * 4 + 13
