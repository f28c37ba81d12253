"""Property-based: whatever the month, every best-window part stays within 0..20, the total
within 0..100, best windows reach 90 and fit the quota, and the JSON copy reads back equal."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from queue_server.domain.assessment.facts import Fact, PromisedCaseFact, Ref, RefKind
from queue_server.domain.assessment.grading import quota
from queue_server.domain.assessment.month import (
    MonthInput,
    assess_month,
    result_from_dict,
    result_to_dict,
)
from queue_server.domain.assessment.rules import DEFAULT_KINDS, DEFAULT_RULES

WINDOWS = list(range(1, 9))
DAYS = st.dates(date(2026, 11, 1), date(2026, 11, 30))
REFS = st.just((Ref(RefKind.EVENT, "1"),))

facts = st.builds(
    Fact,
    kind=st.sampled_from(sorted(DEFAULT_KINDS)),
    day=DAYS,
    staff_no=st.none() | st.just("S1"),
    window=st.sampled_from(WINDOWS) | st.none(),
    quantity=st.integers(1, 12),
    points=st.none() | st.floats(0, 10),
    refs=REFS,
)
cases = st.integers(0, 30).flatmap(
    lambda promised: st.builds(
        PromisedCaseFact,
        window=st.sampled_from(WINDOWS),
        day=DAYS,
        promised_working_days=st.just(promised),
        working_days_ahead=st.integers(0, promised),
        refs=REFS,
    )
)
months = st.builds(
    MonthInput,
    hall=st.just("test"),
    month=st.just("2026-11"),
    staff=st.just(["S1"]),
    windows=st.lists(st.sampled_from(WINDOWS), min_size=1, unique=True),
    facts=st.lists(facts, max_size=40),
    volumes=st.dictionaries(st.sampled_from(WINDOWS), st.integers(0, 2000)),
    promised=st.lists(cases, max_size=20),
)


@settings(max_examples=300, deadline=None)
@given(months)
def test_no_part_leaves_0_to_20(given_month: MonthInput) -> None:
    result = assess_month(DEFAULT_RULES, given_month)
    assert {b.subject for b in result.best_window_scores} == {
        g.score.subject for g in result.windows
    }
    for best in result.best_window_scores:
        assert len(best.parts) == 5
        for part in best.parts:
            assert 0 <= part.score <= 20 == part.maximum
        assert 0 <= best.total <= 100
    totals = {int(b.subject): b.total for b in result.best_window_scores}
    assert all(totals[w] >= DEFAULT_RULES.best_window_min for w in result.best_windows)
    if not any(t >= 90 for t in totals.values()):
        assert result.best_windows == ()
    assert len(result.best_windows) <= max(1, quota(len(totals), 0.20))
    if result.best_windows:
        lowest_in = min(totals[w] for w in result.best_windows)
        assert all(t <= lowest_in for w, t in totals.items() if w not in result.best_windows)
    assert result_from_dict(result_to_dict(result)) == result
