"""Estimated wait as a range from measured handling times and open windows."""

from __future__ import annotations

from queue_server.domain.estimate import estimate_wait


def test_it_uses_measured_handling_times_when_there_are_enough() -> None:
    estimate = estimate_wait(
        ahead=4, open_capacity=2, handling_minutes=[5, 6, 6, 7, 8, 10], default_minutes=30
    )
    assert estimate.basis == "measured"
    assert estimate.low_minutes is not None and estimate.high_minutes is not None
    assert 10 <= estimate.low_minutes < estimate.high_minutes <= 25


def test_it_falls_back_to_the_service_default_with_few_samples() -> None:
    estimate = estimate_wait(ahead=2, open_capacity=1, handling_minutes=[3], default_minutes=10)
    assert estimate.basis == "default"
    assert (estimate.low_minutes, estimate.high_minutes) == (14, 39)


def test_more_windows_shorten_the_wait() -> None:
    one = estimate_wait(ahead=10, open_capacity=1, handling_minutes=[], default_minutes=10)
    three = estimate_wait(ahead=10, open_capacity=3, handling_minutes=[], default_minutes=10)
    assert three.high_minutes is not None and one.high_minutes is not None
    assert three.high_minutes < one.high_minutes


def test_it_says_so_when_no_window_is_open() -> None:
    estimate = estimate_wait(ahead=1, open_capacity=0, handling_minutes=[], default_minutes=10)
    assert estimate.basis == "no_window_open"
    assert estimate.low_minutes is None
