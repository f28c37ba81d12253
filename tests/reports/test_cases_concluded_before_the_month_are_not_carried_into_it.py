"""A promised case finished before the month is carried into it while it is open or was
concluded in or after it; one concluded before the month is not, whether its conclusion was
recorded before the month began (left out by the query) or late, inside the month (left out
by its conclusion day). The month's reading equals the frozen reference reading, which read
every promised case of 400 days and filtered them all in Python."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from queue_server.services.reports import ReportService
from tests.assessment.late_records_support import desk
from tests.reports import reference_month_pass as reference
from tests.support.factories import local, make_services


@pytest.fixture
def services(database_url: str, clock: ManualClock) -> Iterator[Services]:
    built = make_services(database_url, clock=clock)
    yield built
    built.db.engine.dispose()


def test_only_the_cases_open_at_the_months_start_are_carried(
    services: Services, clock: ManualClock
) -> None:
    at = desk(services, clock)
    recorded_before = at.promised_case(date(2026, 10, 20), date(2026, 10, 22))
    at.conclude(recorded_before, date(2026, 10, 21), date(2026, 10, 21))
    recorded_late = at.promised_case(date(2026, 10, 26), date(2026, 11, 3))
    still_open = at.promised_case(date(2026, 10, 27), date(2026, 10, 29))
    concluded_in_month = at.promised_case(date(2026, 10, 28), date(2026, 11, 5))
    of_the_month = at.promised_case(date(2026, 11, 2), date(2026, 11, 4))
    at.conclude(of_the_month, date(2026, 11, 3), date(2026, 11, 3))
    # recorded on 4 November, concluded on 30 October: over before the month
    at.conclude(recorded_late, date(2026, 10, 30), date(2026, 11, 4))
    at.conclude(concluded_in_month, date(2026, 11, 10), date(2026, 11, 10))
    clock.set(local(2026, 12, 2, 10, 0))

    measures = ReportService(services.db, services.halls, clock).month_measures("test", "2026-11")

    overdue = {case.ticket_id: case for case in measures.overdue_cases}
    assert set(overdue) == {still_open, concluded_in_month}
    assert overdue[still_open].concluded_on is None
    assert overdue[concluded_in_month].concluded_on == date(2026, 11, 10)
    assert [case.ticket_id for case in measures.promised_cases] == [of_the_month]
    assert measures.promised_cases[0].concluded_on == date(2026, 11, 3)
    expected = reference.reference_measures(services.db, services.halls, clock, "test", "2026-11")
    assert measures == expected
