"""The flag for two incompetent months in a row reads the previous month's stored grade (picked
out of the stored result by each engine's own JSON reader)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from queue_server.api.deps import Services
from queue_server.domain.access import Role
from queue_server.domain.clock import ManualClock
from queue_server.services.event_log import Actor
from queue_server.services.manual_entries import ManualEntryService, NewEntry
from queue_server.services.stored_months import stored_staff_grades
from tests.assessment.month_support import assessment
from tests.support.auth import staff_login
from tests.support.factories import local, make_services

# 勤 -20, 廉 -15, 德 -10: 55 points, incompetent (不称职)
BAD_MONTH = ["absence"] * 4 + ["improper_gain", "fee_rule_broken"] + ["serious_quarrel"] * 2


@pytest.fixture
def services(database_url: str, clock: ManualClock) -> Iterator[Services]:
    built = make_services(database_url, clock=clock)
    yield built
    built.db.engine.dispose()


def test_incompetent_in_october_and_november(services: Services, clock: ManualClock) -> None:
    clerk = staff_login(services, Role.CLERK)
    by = Actor(clerk=staff_login(services, Role.SUPERVISOR).user_id)
    entries = ManualEntryService(services.db, services.halls, services.clock)
    clock.set(local(2026, 11, 30, 10, 0))
    for month in (10, 11):
        for kind in BAD_MONTH:
            entries.add("test", NewEntry(kind, date(2026, month, 12), "督查", clerk.staff_no), by)
    clock.set(local(2026, 12, 1, 9, 0))
    service = assessment(services)
    november_alone = service.run_month("test", "2026-11", by).result
    assert november_alone.staff_member(clerk.staff_no).grade == "incompetent"
    assert november_alone.flags == ()  # October was never assessed: nothing to compare with
    october = service.run_month("test", "2026-10", by).result
    assert october.staff_member(clerk.staff_no).score.total == 55
    with services.db.read() as session:
        stored = stored_staff_grades(session, "test", "2026-10")
        assert stored_staff_grades(session, "test", "2026-09") == {}
    assert stored == {graded.score.subject: graded.grade for graded in october.staff}
    assert stored[clerk.staff_no] == "incompetent"
    november = service.run_month("test", "2026-11", by).result
    assert [(f.staff_no, f.kind) for f in november.flags] == [(clerk.staff_no, "incompetent_twice")]
