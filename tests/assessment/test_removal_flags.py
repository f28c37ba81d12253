"""Two upheld complaints in a row, or two incompetent months, flag a clerk for removal."""

from __future__ import annotations

from datetime import date

from queue_server.domain.assessment.facts import Ref, RefKind
from queue_server.domain.assessment.flags import Decision
from tests.assessment.facts_support import assess, fact


def test_two_upheld_complaints_in_a_row() -> None:
    decisions = {
        "S1": [Decision("C1", date(2026, 10, 20), True), Decision("C2", date(2026, 11, 3), True)]
    }
    result = assess([], decisions=decisions)
    assert [(f.staff_no, f.kind) for f in result.flags] == [("S1", "complaints_in_a_row")]
    assert result.flags[0].refs == (Ref(RefKind.COMPLAINT, "C1"), Ref(RefKind.COMPLAINT, "C2"))


def test_a_complaint_not_upheld_breaks_the_row() -> None:
    decisions = {
        "S1": [
            Decision("C1", date(2026, 10, 20), True),
            Decision("C2", date(2026, 10, 28), False),
            Decision("C3", date(2026, 11, 3), True),
        ]
    }
    assert assess([], decisions=decisions).flags == ()


def test_two_incompetent_months() -> None:
    bad = [fact("absence", "S1")] * 4 + [fact("improper_gain", "S1"), fact("fee_rule_broken", "S1")]
    bad += [fact("overdue_case_day", "S1", quantity=3)]
    result = assess(bad, previous_grades={"S1": "incompetent"})
    assert result.staff_member("S1").grade == "incompetent"
    assert [f.kind for f in result.flags] == ["incompetent_twice"]
    assert "2026-10" in result.flags[0].text
    assert assess(bad, previous_grades={"S1": "competent"}).flags == ()
