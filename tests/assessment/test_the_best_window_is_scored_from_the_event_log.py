"""The scripted November, computed from the event log: window 1 finished the only visit (volume
20) and its promised case was concluded 2 working days late (on time 20 - 2 × 3 = 14), the lines
naming the events; the rules for `[assessment.best_window]` come from the hall's config."""

from __future__ import annotations

import pytest

from queue_server.config import ConfigError
from queue_server.config.loader import parse_hall_config
from queue_server.domain.assessment.facts import RefKind
from queue_server.domain.assessment.rules import DEFAULT_RULES
from queue_server.domain.clock import ManualClock
from tests.assessment.month_support import assessment, script_november
from tests.support.factories import SMALL_HALL, local, make_services, small_hall


def test_the_scripted_month(sqlite_url: str, clock: ManualClock) -> None:
    services = make_services(sqlite_url, small_hall(), clock=clock)
    script_november(services, clock)
    clock.set(local(2026, 12, 1, 9, 0))
    result = assessment(services).compute("test", "2026-11")
    best = result.best_window_score(1)
    assert best is not None
    assert best.part("volume").score == 20
    assert "1 finished visits, the month's top" in best.part("volume").lines[0].text
    on_time = best.part("on_time")
    assert on_time.score == 14
    [overdue] = on_time.lines
    assert overdue.kind == "overdue_case_day" and overdue.points == -6
    assert overdue.refs and all(r.kind == RefKind.EVENT for r in overdue.refs)
    # the late sign-in left the window empty after opening: the window score's discipline line
    discipline = {x.kind for x in result.window(1).score.part("discipline").lines}
    assert {x.kind for x in best.part("discipline").lines} == discipline
    assert best.total < 90 and result.best_windows == ()


def test_the_best_window_numbers_come_from_the_config() -> None:
    base = SMALL_HALL.format(hall_id="test", guard=20, ratio="", cap="")
    assert parse_hall_config(base).assessment.rules().best_window == DEFAULT_RULES.best_window
    text = base.replace(
        "[[services]]",
        "[assessment.best_window]\noverdue_case_day = 2\nahead = [[0.6, 6], [0.25, 2]]\n\n"
        "[[services]]",
        1,
    )
    rules = parse_hall_config(text).assessment.rules().best_window
    assert rules.overdue_case_day == 2 and rules.part_points == 20
    assert rules.ahead == ((0.6, 6), (0.25, 2))


def test_ahead_bounds_must_fall() -> None:
    base = SMALL_HALL.format(hall_id="test", guard=20, ratio="", cap="")
    text = base.replace(
        "[[services]]",
        "[assessment.best_window]\nahead = [[0.2, 1.5], [0.5, 8]]\n\n[[services]]",
        1,
    )
    with pytest.raises(ConfigError, match="highest share first"):
        parse_hall_config(text)
