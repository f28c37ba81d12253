"""In a clean month everybody scores 100 and the excellent quota (1 of 5) falls on a tie. The
hall's `[assessment] tie_break` decides it: the default leaves all tied out and says so on
every grade; a hall that breaks ties by "more visits served" gives the place to the busiest,
and every grade at the quota's edge names the criterion that decided it."""

from __future__ import annotations

from datetime import date

from queue_server.domain.clock import ManualClock
from queue_server.reports.bulletin import month_bulletin
from queue_server.reports.notice_source import build_notice
from queue_server.reports.scores import load_scores
from queue_server.services.event_log import SYSTEM
from queue_server.services.reports import ReportService
from tests.assessment.clean_month_support import CleanMonth, clean_month
from tests.assessment.month_support import assessment
from tests.support.factories import local


def _published(month: CleanMonth) -> tuple[str, dict[str, str]]:
    """(the notice's honour roll, staff number -> "How the grade was decided" of the
    bulletin's staff table) of the stored month."""
    services = month.services
    assessment(services).run_month("test", "2026-11", SYSTEM)
    measures = ReportService(services.db, services.halls, services.clock).month_measures(
        "test", "2026-11"
    )
    scores = load_scores(services.db, services.halls, services.clock, "test", "2026-11")
    assert scores is not None
    notice = build_notice(
        services.db, services.halls, services.clock, measures, scores, 11, date(2026, 12, 1)
    )
    [roll] = [s for s in notice.sections if s.heading == "二、红榜"]
    table = month_bulletin(measures, services.clock.now(), scores).table("staff_scores")
    staff = {str(row[1]): str(row[-1]) for row in table.rows}
    return "".join(roll.paragraphs), staff


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
    roll, staff = _published(month)
    assert "同分时扣分少者优先；仍相同者均不占名额" in roll
    assert "同为100分且按同分规则仍无法区分，均不占优秀名额" in roll
    assert "本月没有工作人员评为优秀等次" in roll
    assert set(staff.values()) == {"同分且按同分规则无法区分，均不占优秀名额 tied on every "
                                   "criterion, all left out"}  # fmt: skip
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
    roll, staff = _published(month)
    assert "同分时扣分少者优先，再不满意评价少者优先，再办件量多者优先" in roll
    assert f"考核等次为优秀的工作人员（工号）：{busiest}。" in roll
    assert f"{busiest}与同分者按“办件量多者优先”确定为优秀" in roll
    assert all("办件量多者优先" in text for text in staff.values())
    month.services.db.engine.dispose()
