"""最佳窗口: at least 90 points and about the top 20 %; none if nobody reaches 90."""

from __future__ import annotations

from queue_server.domain.assessment.rules import DEFAULT_RULES
from tests.assessment.facts_support import assess, fact

WINDOWS = list(range(1, 11))  # 10 windows: 2 places


def test_the_top_two_of_ten_reaching_ninety() -> None:
    facts = [fact("guide_missing", None, 2)]
    facts += [fact("unattended", None, w) for w in WINDOWS[2:]]
    facts += [fact("unattended", None, w) for w in WINDOWS[2:]]
    facts += [fact("unattended", None, 3)]  # 3 and the rest below 90 (90-... see below)
    result = assess(facts, windows=WINDOWS, rules=DEFAULT_RULES)
    assert result.window(3).score.total == 85 and result.window(4).score.total == 90
    # 1 (100) and 2 (99) take both places although 4..10 reach 90 too.
    assert result.best_windows == (1, 2)


def test_none_when_nobody_reaches_ninety() -> None:
    facts = [fact("serious_quarrel", None, w) for w in WINDOWS]
    result = assess(facts, windows=WINDOWS, rules=DEFAULT_RULES)
    assert max(g.score.total for g in result.windows) == 90 - 0  # exactly 90 still counts
    low = assess([*facts, *(fact("guide_missing", None, w) for w in WINDOWS)], windows=WINDOWS)
    assert max(g.score.total for g in low.windows) == 89
    assert low.best_windows == ()


def test_a_small_hall_still_has_one_best_window() -> None:
    result = assess([fact("guide_missing", None, 2)], windows=[1, 2], rules=DEFAULT_RULES)
    assert result.best_windows == (1,)
