"""A promised case (承诺件) is judged by the day it was concluded (`concluded_on`), whenever the
conclusion was recorded: recording it days later, in the next month, is the normal case in a
hall. The answer of the conclude call is the figure the scoring uses."""

from __future__ import annotations

from datetime import date

from queue_server.domain.clock import ManualClock
from tests.assessment.late_records_support import desk, overdue_days
from tests.assessment.month_support import assessment
from tests.support.factories import local, make_services, small_hall


def test_a_case_concluded_on_time_and_recorded_later_costs_nothing(
    database_url: str, clock: ManualClock
) -> None:
    services = make_services(database_url, small_hall(), clock=clock)
    at = desk(services, clock)
    # Mon 23 Nov: due Wed 25 Nov, concluded on the deadline, recorded 5 working days later
    on_time = at.promised_case(date(2026, 11, 23), date(2026, 11, 25))
    # Thu 29 Oct: due Fri 30 Oct, concluded on the deadline, recorded in December
    across = at.promised_case(date(2026, 10, 29), date(2026, 10, 30))
    answered = at.conclude(on_time, date(2026, 11, 25), date(2026, 12, 2))
    assert answered.overdue_working_days == 0
    answered = at.conclude(across, date(2026, 10, 30), date(2026, 12, 2))
    assert answered.overdue_working_days == 0

    clock.set(local(2026, 12, 3, 9, 0))
    for month in ("2026-10", "2026-11", "2026-12"):
        result = assessment(services).compute("test", month)
        if at.clerk.staff_no in {g.score.subject for g in result.staff}:
            assert overdue_days(result, at.clerk.staff_no) == (0, 0), month
    november = assessment(services).compute("test", "2026-11")
    assert november.staff_member(at.clerk.staff_no).score.part("results").deducted == 0
    services.db.engine.dispose()


def test_a_case_concluded_two_days_late_costs_exactly_two_days(
    database_url: str, clock: ManualClock
) -> None:
    services = make_services(database_url, small_hall(), clock=clock)
    at = desk(services, clock)
    late = at.promised_case(date(2026, 11, 23), date(2026, 11, 24))  # due Tue 24 Nov
    # concluded Thu 26 Nov (Wed 25 and Thu 26: 2 working days late), recorded a week later
    answered = at.conclude(late, date(2026, 11, 26), date(2026, 12, 3))
    assert answered.overdue_working_days == 2

    clock.set(local(2026, 12, 4, 9, 0))
    november = assessment(services).compute("test", "2026-11")
    # DOMAIN.md: clerk 绩 -3, window -5 per overdue working day
    assert overdue_days(november, at.clerk.staff_no) == (-6, -10)
    [line] = [
        x
        for x in november.staff_member(at.clerk.staff_no).score.part("results").lines
        if x.kind == "overdue_case_day"
    ]
    assert line.day == "2026-11-26"
    december = assessment(services).compute("test", "2026-12")
    assert at.clerk.staff_no not in {g.score.subject for g in december.staff}
    services.db.engine.dispose()
