"""Staff scores worked out by hand from DOMAIN.md's table, point by point.

The grade bounds are checked here without the excellent quota (see test_excellent_quota_*)."""

from __future__ import annotations

from queue_server.domain.assessment.facts import Ref, RefKind
from tests.assessment.facts_support import assess, fact


def test_late_twice_costs_four_points_of_diligence() -> None:
    result = assess(
        [
            fact("late", "S1", refs=(Ref(RefKind.EVENT, "17"),)),
            fact("late", "S1", refs=(Ref(RefKind.EVENT, "52"),)),
        ]
    )
    graded = result.staff_member("S1")
    diligence = graded.score.part("diligence")
    assert (diligence.maximum, diligence.deducted, diligence.score) == (20, 4, 16)
    assert [line.points for line in diligence.lines] == [-2, -2]
    assert [line.refs for line in diligence.lines] == [
        (Ref(RefKind.EVENT, "17"),),
        (Ref(RefKind.EVENT, "52"),),
    ]
    assert graded.score.total == 96
    assert graded.grade == "excellent"


def test_a_promised_case_two_working_days_overdue_costs_six_results_points() -> None:
    result = assess([fact("overdue_case_day", "S1", 1, quantity=2)])
    graded = result.staff_member("S1")
    assert graded.score.part("results").score == 19  # 25 - 3 × 2
    assert graded.score.total == 94
    assert graded.grade == "excellent"
    window = result.window(1)
    assert window.score.part("quality").score == 50  # 60 - 5 × 2
    assert window.score.total == 90
    assert window.grade == "excellent"


def test_an_upheld_complaint_costs_the_clerk_conduct_and_the_window_quality() -> None:
    complaint = (Ref(RefKind.COMPLAINT, "C1"),)
    result = assess([fact("complaint_upheld", "S1", 1, refs=complaint)])
    clerk = result.staff_member("S1")
    assert clerk.score.part("conduct").score == 18
    assert clerk.score.part("conduct").lines[0].refs == complaint
    assert clerk.score.total == 98
    assert result.window(1).score.part("quality").score == 55
    assert result.window(1).score.total == 95


def test_media_praise_of_the_city_adds_six_and_a_letter_of_thanks_two() -> None:
    result = assess(
        [
            fact("late", "S1"),
            fact("late", "S1"),
            fact("absence", "S1"),
            fact("policy_error", "S1"),
            fact("media_praise_city", "S1"),
            fact("letter_of_thanks", "S1"),
        ]
    )
    graded = result.staff_member("S1")
    # 100 - 4 - 5 (diligence 11) - 3 (ability 17) = 88, + 6 + 2 = 96
    assert graded.score.part("diligence").score == 11
    assert graded.score.part("ability").score == 17
    assert graded.score.bonus == 8
    assert graded.score.total == 96
    assert graded.grade == "excellent"


def test_a_part_never_goes_below_zero() -> None:
    result = assess([fact("improper_gain", "S1"), fact("fee_rule_broken", "S1")])
    integrity = result.staff_member("S1").score.part("integrity")
    assert integrity.deducted == 15 and integrity.score == 0 and not integrity.floored
    worse = assess([fact("improper_gain", "S1"), fact("improper_gain", "S1")])
    integrity = worse.staff_member("S1").score.part("integrity")
    assert (integrity.deducted, integrity.score, integrity.floored) == (20, 0, True)
    assert worse.staff_member("S1").score.total == 85
    assert worse.staff_member("S1").grade == "competent"


def test_grades_follow_the_bounds() -> None:
    # 德 -5 × 2 = -10, 勤 -5 × 2 = -10, 能 -3 → 77 competent
    facts = [fact("serious_quarrel", "S1")] * 2 + [fact("absence", "S1")] * 2
    competent = assess([*facts, fact("policy_error", "S1")]).staff_member("S1")
    assert (competent.score.total, competent.grade) == (77, "competent")
    # ... and 廉 -10 more → 67 basically competent
    basic = assess([*facts, fact("policy_error", "S1"), fact("improper_gain", "S1")])
    assert basic.staff_member("S1").score.total == 67
    assert basic.staff_member("S1").grade == "basically_competent"
    # ... and the rest of 廉 and 绩 -3 × 4 → 52 incompetent
    low = assess(
        [
            *facts,
            fact("policy_error", "S1"),
            fact("improper_gain", "S1"),
            fact("fee_rule_broken", "S1"),
            fact("overdue_case_day", "S1", quantity=4),
        ]
    )
    assert low.staff_member("S1").score.total == 50
    assert low.staff_member("S1").grade == "incompetent"


def test_meeting_absence_takes_the_points_supervision_chose_within_one_to_two() -> None:
    result = assess([fact("meeting_absence", "S1", points=2), fact("meeting_absence", "S1")])
    assert [x.points for x in result.staff_member("S1").score.part("conduct").lines] == [-2, -1]
