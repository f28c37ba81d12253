"""About 15 % of staff and 20 % of windows may be excellent; ties at the cut are all left out."""

from __future__ import annotations

from queue_server.domain.assessment.grading import quota
from queue_server.domain.assessment.rules import DEFAULT_RULES
from tests.assessment.facts_support import assess, fact

STAFF = [f"S{i}" for i in range(1, 11)]  # 10 staff: round(1.5) = 2 excellent places


def test_quota_rounds_halves_up() -> None:
    assert [quota(n, 0.15) for n in (1, 3, 4, 7, 10, 20, 40)] == [0, 0, 1, 1, 2, 3, 6]
    assert [quota(n, 0.20) for n in (1, 2, 3, 5, 40)] == [0, 0, 1, 1, 8]


def test_only_the_top_two_of_ten_are_excellent() -> None:
    # S1 100, S2 98, S3 96 and the rest 88: three reach 90, two places.
    facts = [fact("late", "S2"), fact("late", "S3"), fact("late", "S3")]
    facts += [fact("absence", s) for s in STAFF[3:]] * 2 + [fact("late", s) for s in STAFF[3:]]
    graded = {g.score.subject: g for g in assess(facts, STAFF, rules=DEFAULT_RULES).staff}
    assert graded["S4"].score.total == 88
    assert [s for s in STAFF if graded[s].grade == "excellent"] == ["S1", "S2"]
    assert graded["S3"].grade == "competent"
    assert "outside the quota of 2 (ranked below)" in graded["S3"].note
    assert graded["S4"].grade == "competent" and graded["S4"].note == ""


def test_equal_totals_are_split_by_fewer_deductions() -> None:
    # S1 and S2 both 98; S1 earned it with a bonus over a bigger deduction, S2 lost only 2.
    facts = [fact("late", "S1"), fact("late", "S1"), fact("letter_of_thanks", "S1")]
    facts += [fact("late", "S2"), fact("late", "S3")]
    facts += [fact("absence", s) for s in STAFF[3:]] + [fact("absence", s) for s in STAFF[3:]]
    # S3: 98 with 2 deducted, tied with S2 on both counts.
    graded = {g.score.subject: g for g in assess(facts, STAFF, rules=DEFAULT_RULES).staff}
    assert graded["S1"].score.total == graded["S2"].score.total == graded["S3"].score.total == 98
    # Places 2: S2 and S3 (2 deducted) outrank S1 (4 deducted); they fill both places.
    assert {s for s in STAFF if graded[s].grade == "excellent"} == {"S2", "S3"}
    assert graded["S1"].grade == "competent"


def test_a_tie_at_the_cut_leaves_all_tied_out() -> None:
    # S1 100; S2, S3 both 98 with 2 deducted: one place left for two equals, so neither.
    facts = [fact("late", "S2"), fact("late", "S3")]
    facts += [fact("absence", s) for s in STAFF[3:]] + [fact("absence", s) for s in STAFF[3:]]
    graded = {g.score.subject: g for g in assess(facts, STAFF, rules=DEFAULT_RULES).staff}
    assert [s for s in STAFF if graded[s].grade == "excellent"] == ["S1"]
    assert graded["S2"].grade == graded["S3"].grade == "competent"
    assert "tied at the cut" in graded["S2"].note
    assert graded["S2"].rank == graded["S3"].rank == 2


def test_one_window_of_five_is_excellent() -> None:
    facts = [fact("guide_missing", None, w) for w in (2, 3, 4, 5)]
    graded = assess(facts, ["S1"], [1, 2, 3, 4, 5], rules=DEFAULT_RULES).windows
    assert [(g.score.subject, g.grade) for g in graded] == [
        ("1", "excellent"),
        ("2", "good"),
        ("3", "good"),
        ("4", "good"),
        ("5", "good"),
    ]
