"""On time and correct fees: 20, -3 per overdue working day, once a month by the window's mean
share concluded ahead of the promise +8 (>= 50 % of the promised time), +5 (30-50 %), +1.5
(20-30 %), -5 per fee-rule breach recorded by supervision; clamped to 0..20."""

from __future__ import annotations

import pytest

from queue_server.domain.assessment.facts import Ref, RefKind
from queue_server.domain.assessment.month import MonthResult
from tests.assessment.facts_support import assess, fact, promised_case


def _on_time(result: MonthResult, window: int = 1) -> float:
    best = result.best_window_score(window)
    assert best is not None
    return best.part("on_time").score


def test_two_overdue_working_days_give_14() -> None:
    overdue = fact("overdue_case_day", "S1", 1, quantity=2, refs=(Ref(RefKind.EVENT, "41"),))
    result = assess([overdue], volumes={1: 3})
    assert _on_time(result) == 14
    [line] = result.best_window_score(1).part("on_time").lines  # type: ignore[union-attr]
    assert line.points == -6 and line.refs == (Ref(RefKind.EVENT, "41"),)
    # the window score still charges its own -5 per working day
    assert result.window(1).score.part("quality").score == 50


def test_sixty_percent_ahead_is_plus_8_but_capped_at_20() -> None:
    assert _on_time(assess([], volumes={1: 3}, promised=[promised_case(1, 5, 3)])) == 20
    overdue = fact("overdue_case_day", "S1", 1, quantity=2)
    result = assess([overdue], volumes={1: 3}, promised=[promised_case(1, 5, 3)])
    assert _on_time(result) == 20  # 20 - 6 + 8 = 22, capped
    lines = result.best_window_score(1).part("on_time").lines  # type: ignore[union-attr]
    ahead = next(x for x in lines if x.kind == "promised_case_ahead")
    assert ahead.points == 8 and "60% of the promised working days over 1 cases" in ahead.text
    assert ahead.refs == (Ref(RefKind.EVENT, "7"),)


def test_the_bonus_is_earned_once_by_the_mean_not_per_case() -> None:
    overdue = fact("overdue_case_day", "S1", 1, quantity=5)  # 20 - 15 = 5
    many_early = [promised_case(1, 10, 6) for _ in range(30)]
    assert _on_time(assess([overdue], volumes={1: 3}, promised=many_early)) == 5 + 8
    # two early and two late cases: the mean is 30 %, +5
    mixed = [promised_case(1, 10, 6)] * 2 + [promised_case(1, 10, 0)] * 2
    assert _on_time(assess([overdue], volumes={1: 3}, promised=mixed)) == 5 + 5


@pytest.mark.parametrize(
    ("promised", "ahead", "points"),
    [
        (10, 5, 8),  # exactly 50 %
        (10, 4, 5),
        (10, 3, 5),  # exactly 30 %
        (10, 2, 1.5),  # exactly 20 %
        (10, 1, 0),
        (10, 0, 0),
        (0, 0, 0),  # promised for the same day: nothing to be ahead of
    ],
)
def test_the_ahead_tiers(promised: int, ahead: int, points: float) -> None:
    overdue = fact("overdue_case_day", "S1", 1, quantity=4)  # 20 - 12 = 8, room for the bonus
    result = assess([overdue], volumes={1: 3}, promised=[promised_case(1, promised, ahead)])
    assert _on_time(result) == 8 + points


def test_fee_rule_breaches_and_the_floor() -> None:
    fee = fact("fee_rule_broken", None, 1, refs=(Ref(RefKind.ENTRY, "f1"),))
    assert _on_time(assess([fee], volumes={1: 3})) == 15
    overdue = fact("overdue_case_day", "S1", 1, quantity=6)
    assert _on_time(assess([fee, overdue], volumes={1: 3})) == 0  # 20 - 5 - 18, floored


def test_cases_ahead_at_another_window_do_not_count() -> None:
    overdue = fact("overdue_case_day", "S1", 1, quantity=1)
    result = assess([overdue], windows=[1, 2], volumes={1: 3}, promised=[promised_case(2, 4, 4)])
    assert _on_time(result, 1) == 17 and _on_time(result, 2) == 20
