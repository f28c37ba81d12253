"""最佳窗口's own score: five parts of 20 (volume, on time and fees, attitude, guidance,
discipline), each line explained like the window score's, reusing its deduction lines."""

from __future__ import annotations

from queue_server.domain.assessment.facts import Ref, RefKind
from tests.assessment.facts_support import assess, fact


def test_a_spotless_busiest_window_has_100_in_five_parts() -> None:
    result = assess([], windows=[1], volumes={1: 250})
    best = result.best_window_score(1)
    assert best is not None
    assert [(p.name, p.maximum, p.score) for p in best.parts] == [
        ("volume", 20, 20),
        ("on_time", 20, 20),
        ("attitude", 20, 20),
        ("guidance", 20, 20),
        ("discipline", 20, 20),
    ]
    assert best.total == 100
    [volume] = best.part("volume").lines
    assert "250 finished visits, the month's top: 20" in volume.text


def test_the_window_scores_deductions_fall_into_their_parts() -> None:
    entry = (Ref(RefKind.ENTRY, "e1"),)
    complaint = (Ref(RefKind.COMPLAINT, "c1"),)
    facts = [
        fact("complaint_upheld", None, 1, refs=complaint),  # attitude -5
        fact("serious_quarrel", None, 1, refs=entry),  # attitude -10
        fact("guide_missing", None, 1),  # guidance -1
        fact("forms_missing", None, 1),  # guidance -1
        fact("unattended", None, 1),  # discipline -5
        fact("leave_rules_broken", None, 1),  # discipline -5
        fact("fee_rule_broken", None, 1),  # on time and fees -5
        fact("improper_gain", None, 1),  # not one of the five parts
        fact("pennant", None, 1),  # bonuses do not count
    ]
    best = assess(facts, windows=[1], volumes={1: 5}).best_window_score(1)
    assert best is not None
    scores = {p.name: p.score for p in best.parts}
    assert scores == {
        "volume": 20,
        "on_time": 15,
        "attitude": 5,
        "guidance": 18,
        "discipline": 10,
    }
    assert best.total == 68
    attitude = best.part("attitude")
    assert [(x.kind, x.points, x.refs) for x in attitude.lines] == [
        ("complaint_upheld", -5, complaint),
        ("serious_quarrel", -10, entry),
    ]
    assert all(x.part == "attitude" for x in attitude.lines)


def test_a_part_stops_at_zero() -> None:
    facts = [fact("serious_quarrel", None, 1) for _ in range(3)]
    best = assess(facts, windows=[1], volumes={1: 5}).best_window_score(1)
    assert best is not None
    attitude = best.part("attitude")
    assert attitude.score == 0 and attitude.deducted == 30 and attitude.floored


def test_another_windows_facts_do_not_count() -> None:
    best = assess([fact("unattended", "S1", 2)], windows=[1, 2], volumes={1: 5, 2: 5})
    assert best.best_window_score(1).total == 100  # type: ignore[union-attr]
    assert best.best_window_score(2).total == 95  # type: ignore[union-attr]
