"""最佳窗口 is chosen on its own five-part score: at least 90 points and about the top 20 %
(at least one place when anybody reaches 90), the quotas' tie rule; none if nobody reaches 90."""

from __future__ import annotations

from queue_server.domain.assessment.rules import DEFAULT_RULES
from tests.assessment.facts_support import assess, fact, promised_case

WINDOWS = list(range(1, 11))  # 10 windows: 2 places
SAME_VOLUME = {w: 100 for w in WINDOWS}


def _best(facts: list, volumes: dict[int, int] = SAME_VOLUME, **kw: object) -> tuple[int, ...]:
    result = assess(facts, windows=WINDOWS, rules=DEFAULT_RULES, volumes=volumes, **kw)
    return result.best_windows


def test_the_top_two_of_ten_reaching_ninety() -> None:
    facts = [fact("guide_missing", None, 2)]  # 99
    facts += [fact("unattended", None, w) for w in WINDOWS[2:]]  # 95
    assert _best(facts) == (1, 2)


def test_none_when_nobody_reaches_ninety() -> None:
    three_times = [fact("unattended", None, w) for w in WINDOWS for _ in range(3)]  # 85 each
    assert _best(three_times) == ()
    twice = [fact("unattended", None, w) for w in WINDOWS for _ in range(2)]  # 90 each
    result = assess(twice[1:], windows=WINDOWS, volumes=SAME_VOLUME)
    # window 1 has one absence fewer: 95; exactly 90 still counts, but the quota is full
    assert result.best_window_score(1).total == 95  # type: ignore[union-attr]
    assert result.best_windows == (1,)


def test_the_window_score_alone_does_not_make_a_best_window() -> None:
    """Spotless windows with no visits at all score 80: volume is a part of the best window."""
    assert _best([], volumes={}) == ()
    # two spotless windows, one place: the busier (100) is best, not the other (95)
    assert assess([], windows=[1, 2], volumes={1: 400, 2: 300}).best_windows == (1,)


def test_equal_at_the_cut_all_are_left_out() -> None:
    ties = [fact("guide_missing", None, w) for w in (2, 3)]  # 1: 100, 2 and 3: 99
    ties += [fact("unattended", None, w) for w in WINDOWS[3:]]
    assert _best(ties) == (1,)


def test_fewer_deducted_points_break_a_tie() -> None:
    """Window 3 concluded a case well ahead: its on-time part is capped at 20, but before the cap
    it stands 8 points better than window 2, with the same total of 99."""
    facts = [fact("guide_missing", None, w) for w in (2, 3)]
    facts += [fact("unattended", None, w) for w in WINDOWS[3:]]
    result = assess(
        facts,
        windows=WINDOWS,
        volumes=SAME_VOLUME,
        promised=[promised_case(3, promised=10, ahead=6)],
    )
    two, three = result.best_window_score(2), result.best_window_score(3)
    assert two is not None and three is not None
    assert two.total == three.total == 99 and three.deducted < two.deducted
    assert result.best_windows == (1, 3)


def test_a_small_hall_still_has_one_best_window() -> None:
    result = assess([fact("guide_missing", None, 2)], windows=[1, 2], volumes={1: 10, 2: 10})
    assert result.best_windows == (1,)
