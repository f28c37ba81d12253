"""Property-based: parts stay within [0, maximum], quotas are never exceeded, and a result
survives its JSON copy unchanged (the best window's own score: its own property test)."""

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
def test_parts_and_quotas(given_month: MonthInput) -> None:
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
    # the best window has its own score: test_best_window_parts_stay_between_0_and_20.py
    assert result_from_dict(result_to_dict(result)) == result
