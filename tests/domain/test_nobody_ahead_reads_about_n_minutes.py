"""Nobody ahead and a window open: one figure, "about N minutes", from the windows' state —
a free window calls at once, a busy one when its case is expected to end, one that weighs
other waiting services higher after those; the range behind the figure (what its accuracy
is measured by) is the soonest window's, never one stretched by a small share."""

from __future__ import annotations

from queue_server.domain.estimate import (
    WindowState,
    about_when_nobody_ahead,
    remaining_minutes,
)

MEASURED = [4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 30.0]


def test_a_free_window_reads_about_one_minute() -> None:
    about = about_when_nobody_ahead([WindowState(False, None)], MEASURED, 10)
    assert about is not None
    assert (about.low_minutes, about.high_minutes, about.basis) == (0, 1, "window_state")
    assert about.about_minutes == 1 and about.text == "about 1 min"


def test_a_busy_window_reads_the_rest_of_its_case() -> None:
    # Cases that lasted more than 5 minutes took 6, 7, 8, 9 and 30 in all: 1 to 25 more.
    assert remaining_minutes(5, MEASURED, 10) == (1, 3, 25)
    about = about_when_nobody_ahead([WindowState(False, 5.0)], MEASURED, 10)
    assert about is not None and about.text == "about 3 min"
    assert (about.low_minutes, about.high_minutes) == (1, 25)
    # Few measurements: the service's default handling time less what has passed.
    few = about_when_nobody_ahead([WindowState(False, 2.0)], [3.0], 10)
    assert few is not None and few.about_minutes == 8
    assert (few.low_minutes, few.high_minutes) == (4, 12)


def test_the_soonest_window_counts() -> None:
    states = [WindowState(False, 1.0), WindowState(True, None), WindowState(False, 8.5)]
    about = about_when_nobody_ahead(states, MEASURED, 10)
    # The paused free window does not call; the one 8.5 minutes in is nearly done.
    assert about is not None and about.about_minutes == 1


def test_a_window_serving_others_first_adds_their_cases() -> None:
    about = about_when_nobody_ahead([WindowState(False, None, before=2)], MEASURED, 10)
    assert about is not None and about.about_minutes == 2 * 7  # two typical (median) cases
    assert about.low_minutes is not None and about.high_minutes is not None
    assert about.low_minutes < 14 < about.high_minutes


def test_no_honest_figure_when_every_window_is_paused() -> None:
    assert about_when_nobody_ahead([WindowState(True, None)], MEASURED, 10) is None
    assert about_when_nobody_ahead([], MEASURED, 10) is None
