"""Property-based: parts stay within [0, maximum], quotas are never exceeded, the best window
rule holds, and a result survives its JSON copy unchanged."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from queue_server.domain.assessment.facts import Fact, Ref, RefKind
from queue_server.domain.assessment.grading import quota
from queue_server.domain.assessment.month import (
    MonthInput,
    assess_month,
    result_from_dict,
    result_to_dict,
)
from queue_server.domain.assessment.rules import DEFAULT_KINDS, DEFAULT_RULES

STAFF = [f"S{i}" for i in range(1, 15)]
WINDOWS = list(range(1, 12))

facts = st.builds(
    Fact,
    kind=st.sampled_from(sorted(DEFAULT_KINDS)),
    day=st.dates(date(2026, 11, 1), date(2026, 11, 30)),
    staff_no=st.sampled_from(STAFF) | st.none(),
    window=st.sampled_from(WINDOWS) | st.none(),
    quantity=st.integers(1, 6),
    points=st.none() | st.floats(0, 10),
    refs=st.just((Ref(RefKind.EVENT, "1"),)),
)
months = st.builds(
    MonthInput,
    hall=st.just("test"),
    month=st.just("2026-11"),
    staff=st.lists(st.sampled_from(STAFF), min_size=1, unique=True),
    windows=st.lists(st.sampled_from(WINDOWS), min_size=1, unique=True),
    facts=st.lists(facts, max_size=60),
)


@settings(max_examples=300, deadline=None)
@given(months)
def test_parts_quotas_and_best_windows(given_month: MonthInput) -> None:
    result = assess_month(DEFAULT_RULES, given_month)
    for graded in (*result.staff, *result.windows):
        for part in graded.score.parts:
            assert 0 <= part.score <= part.maximum
        assert graded.score.bonus >= 0
    staff_excellent = sum(g.grade == "excellent" for g in result.staff)
    assert staff_excellent <= quota(len(result.staff), DEFAULT_RULES.staff_excellent_share)
    window_excellent = sum(g.grade == "excellent" for g in result.windows)
    assert window_excellent <= quota(len(result.windows), DEFAULT_RULES.window_excellent_share)
    assert all(g.score.total >= 90 for g in result.staff if g.grade == "excellent")
    totals = {int(g.score.subject): g.score.total for g in result.windows}
    assert all(totals[b] >= 90 for b in result.best_windows)
    if not any(t >= 90 for t in totals.values()):
        assert result.best_windows == ()
    assert len(result.best_windows) <= max(1, quota(len(totals), 0.20))
    # Nobody left out of the best windows stands above one let in.
    if result.best_windows:
        lowest_in = min(totals[b] for b in result.best_windows)
        assert all(t <= lowest_in for w, t in totals.items() if w not in result.best_windows)
    assert result_from_dict(result_to_dict(result)) == result
