"""In a clean month everybody scores 100 and the excellent quota (1 of 5) falls on a tie. The
hall's `[assessment] tie_break` decides it: the default leaves all tied out and says so on
every grade; a hall that breaks ties by "more visits served" gives the place to the busiest,
and every grade at the quota's edge names the criterion that decided it."""

from __future__ import annotations

from queue_server.domain.clock import ManualClock
from tests.assessment.clean_month_support import clean_month
from tests.assessment.month_support import assessment
from tests.support.factories import local


def test_all_tied_are_left_out_by_default(database_url: str, clock: ManualClock) -> None:
    month = clean_month(database_url, clock, None)
    clock.set(local(2026, 12, 1, 9, 0))
    result = assessment(month.services).compute("test", "2026-11")
    assert {g.score.total for g in result.staff + result.windows} == {100}
    assert {g.grade for g in result.staff} == {"competent"}
    assert {g.grade for g in result.windows} == {"good"}
    for graded in result.staff + result.windows:
        assert graded.decided_by == "all_tied_left_out"
        assert "all tied left out" in graded.note
    month.services.db.engine.dispose()


def test_the_configured_criteria_break_the_tie(database_url: str, clock: ManualClock) -> None:
    month = clean_month(database_url, clock, ("deducted", "bad_ratings", "volume"))
    clock.set(local(2026, 12, 1, 9, 0))
    result = assessment(month.services).compute("test", "2026-11")
    busiest = month.clerks[5].staff_no
    excellent = [g.score.subject for g in result.staff if g.grade == "excellent"]
    assert excellent == [busiest]
    assert [g.score.subject for g in result.windows if g.grade == "excellent"] == ["5"]
    for graded in result.staff + result.windows:
        assert graded.decided_by == "volume", graded
        assert "more visits served" in graded.note
    assert result.best_windows == (5,)
    month.services.db.engine.dispose()
