"""Window scores worked out by hand from DOMAIN.md's window rules (grades without the quota)."""

from __future__ import annotations

from tests.assessment.facts_support import assess, fact


def test_a_pennant_adds_five_to_the_window() -> None:
    result = assess([fact("quarrel", None, 1), fact("pennant", None, 1)])
    window = result.window(1)
    assert window.score.part("quality").score == 55
    assert window.score.bonus == 5
    assert window.score.total == 100
    assert window.grade == "excellent"


def test_unattended_twice_and_missing_forms() -> None:
    result = assess(
        [
            fact("unattended", None, 1),
            fact("unattended", None, 1),
            fact("forms_missing", None, 1),
            fact("guide_missing", None, 1),
        ]
    )
    window = result.window(1)
    assert window.score.part("discipline").score == 10
    assert window.score.part("quality").score == 58
    assert (window.score.total, window.grade) == (88, "good")


def test_a_serious_quarrel_and_an_overdue_case_make_a_pass() -> None:
    result = assess(
        [fact("serious_quarrel", "S1", 1), fact("overdue_case_day", "S1", 1, quantity=3)]
    )
    window = result.window(1)
    assert window.score.part("quality").score == 35  # 60 - 10 - 15
    assert (window.score.total, window.grade) == (75, "pass")
    assert result.staff_member("S1").score.total == 86  # 德 -5, 绩 -9


def test_media_praise_counts_three_per_level_for_a_window() -> None:
    result = assess(
        [fact(f"media_praise_{level}", None, 1) for level in ("district", "province")]
        + [fact("letter_of_thanks", None, 1), fact("good_deed", None, 1, points=4)]
    )
    assert result.window(1).score.bonus == 3 + 9 + 2 + 4
