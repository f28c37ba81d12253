"""Volume: the window(s) with the most finished visits get 20, the others 20 × volume / top
(to 0.1); no visits in the hall at all: everyone 0."""

from __future__ import annotations

import pytest

from queue_server.domain.assessment.best_window import volume_points
from tests.assessment.facts_support import assess


def _volume(result: object, window: int) -> float:
    best = result.best_window_score(window)  # type: ignore[attr-defined]
    assert best is not None
    return best.part("volume").score


def test_400_and_300_give_20_and_15() -> None:
    result = assess([], windows=[1, 2], volumes={1: 400, 2: 300})
    assert (_volume(result, 1), _volume(result, 2)) == (20, 15)
    [line] = result.best_window_score(2).part("volume").lines  # type: ignore[union-attr]
    assert line.points == -5 and "300 finished visits of the month's top 400" in line.text


def test_equal_tops_both_get_20() -> None:
    result = assess([], windows=[1, 2, 3], volumes={1: 120, 2: 120, 3: 0})
    assert [_volume(result, w) for w in (1, 2, 3)] == [20, 20, 0]


def test_no_visits_in_the_hall_gives_nobody_volume_points() -> None:
    result = assess([], windows=[1, 2], volumes={})
    assert [_volume(result, w) for w in (1, 2)] == [0, 0]
    [line] = result.best_window_score(1).part("volume").lines  # type: ignore[union-attr]
    assert "no finished visits" in line.text and line.points == -20


@pytest.mark.parametrize(
    ("volume", "top", "points"),
    [(1, 3, 6.7), (2, 3, 13.3), (1, 8, 2.5), (1, 16, 1.3), (7, 7, 20), (0, 7, 0), (3, 0, 0)],
)
def test_rounded_to_a_tenth(volume: int, top: int, points: float) -> None:
    assert volume_points(volume, top, 20) == points
