"""The floor's plain rules: colours against the targets, a window's state, the backup-cover
range (B岗顶岗: 30 minutes to 2 hours), the chart buckets."""

from __future__ import annotations

from datetime import timedelta

import pytest

from queue_server.domain.errors import RuleViolation
from queue_server.domain.floor import (
    Colour,
    CoverLimits,
    WindowState,
    average_by_hour,
    check_cover_minutes,
    level_colour,
    queue_colour,
    service_level,
    wait_colour,
    wait_histogram,
    window_state,
)

MIN = timedelta(minutes=1)


def test_wait_and_level_colours_against_the_targets() -> None:
    target = 30 * MIN
    assert wait_colour(None, target, 0.75) is Colour.GREEN
    assert wait_colour(20 * MIN, target, 0.75) is Colour.GREEN
    assert wait_colour(23 * MIN, target, 0.75) is Colour.AMBER
    assert wait_colour(31 * MIN, target, 0.75) is Colour.RED
    assert service_level([10 * MIN, 40 * MIN, 30 * MIN, 5 * MIN], target) == 0.75
    assert service_level([], target) is None
    assert level_colour(None, 0.8) is Colour.GREY
    assert level_colour(0.8, 0.8) is Colour.GREEN
    assert level_colour(0.75, 0.8) is Colour.AMBER
    assert level_colour(0.5, 0.8) is Colour.RED
    assert [queue_colour(n, 15) for n in (3, 11, 16)] == [Colour.GREEN, Colour.AMBER, Colour.RED]


def test_a_windows_state() -> None:
    def state(**kw: object) -> WindowState:
        values: dict[str, object] = {
            "is_open": True,
            "paused": False,
            "staffed": True,
            "ticket_state": None,
            "in_hours": True,
        }
        values.update(kw)
        return window_state(**values)  # type: ignore[arg-type]

    assert state() is WindowState.IDLE
    assert state(ticket_state="serving") is WindowState.SERVING
    assert state(paused=True) is WindowState.PAUSED
    assert state(staffed=False) is WindowState.UNATTENDED
    assert state(staffed=False, in_hours=False) is WindowState.IDLE
    assert state(is_open=False, staffed=False) is WindowState.CLOSED


@pytest.mark.parametrize("minutes", [30, 60, 120])
def test_a_cover_of_30_minutes_to_2_hours_is_accepted(minutes: int) -> None:
    check_cover_minutes(minutes, CoverLimits())


@pytest.mark.parametrize("minutes", [0, 29, 121, 480])
def test_a_cover_outside_the_range_is_refused(minutes: int) -> None:
    with pytest.raises(RuleViolation) as refused:
        check_cover_minutes(minutes, CoverLimits())
    assert refused.value.code == "cover_out_of_range"
    assert "30 to 120 minutes" in refused.value.message


def test_chart_buckets() -> None:
    waits = [0 * MIN, 4 * MIN, 5 * MIN, 59 * MIN, 60 * MIN, 200 * MIN]
    assert dict(wait_histogram(waits)) == {
        "0-5": 2,
        "5-10": 1,
        "10-15": 0,
        "15-20": 0,
        "20-30": 0,
        "30-45": 0,
        "45-60": 1,
        "60+": 2,
    }
    assert average_by_hour([{9: 4, 10: 2}, {9: 2}], [9, 10, 11]) == [3.0, 1.0, 0.0]
    assert average_by_hour([], [9]) == [0.0]
