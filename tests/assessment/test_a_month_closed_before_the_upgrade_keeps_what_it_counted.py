"""A month closed by the version before migration 0017 had no stored evidence of what it
counted; the upgrade fills it in from the frozen result, so its corrections stay the same."""

from __future__ import annotations

from datetime import date
from typing import Any

from alembic import command
from sqlalchemy import inspect, select, update

from queue_server.domain.assessment.corrections import month_evidence
from queue_server.domain.clock import ManualClock
from queue_server.services.assessment import AssessmentService
from queue_server.services.event_log import Actor
from queue_server.services.manual_entries import ManualEntryService, NewEntry
from queue_server.storage.assessment_tables import AssessmentMonth
from queue_server.storage.migrate import alembic_config, upgrade
from tests.assessment.late_records_support import desk
from tests.support.factories import local, make_services, small_hall


def _stored(services: Any, month: str) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    with services.db.read() as session:
        row = session.execute(
            select(AssessmentMonth.evidence, AssessmentMonth.result).where(
                AssessmentMonth.hall_id == "test", AssessmentMonth.month == month
            )
        ).one()
        return row.evidence, row.result


def _corrections(services: Any, clock: ManualClock) -> list[tuple[str, int, str]]:
    found = AssessmentService(services.db, services.halls, clock).corrections("test", "2026-11")
    return sorted((c.fact.kind, c.fact.quantity, c.counts_in) for c in found.of_month)


def test_it_fills_in_the_evidence_of_months_closed_before(
    database_url: str, clock: ManualClock
) -> None:
    services = make_services(database_url, small_hall(), clock=clock)
    at = desk(services, clock)
    case = at.promised_case(date(2026, 11, 23), date(2026, 11, 25))
    by = Actor(clerk=at.supervisor.user_id)
    entries = ManualEntryService(services.db, services.halls, clock)
    clock.set(local(2026, 11, 27, 10, 0))
    counted = NewEntry("letter_of_thanks", date(2026, 11, 10), "感谢信", at.clerk.staff_no)
    thanks, _ = entries.add("test", counted, by)
    clock.set(local(2026, 12, 1, 9, 0))
    assessment = AssessmentService(services.db, services.halls, clock)
    assessment.run_month("test", "2026-12", by)  # an open month: no evidence
    assessment.close_month("test", "2026-11", by)
    clock.set(local(2026, 12, 2, 10, 0))
    late = NewEntry("quarrel", date(2026, 11, 20), "与群众争吵", at.clerk.staff_no, 1)
    entries.add("test", late, by)
    at.conclude(case, date(2026, 11, 25), date(2026, 12, 2))

    evidence, result = _stored(services, "2026-11")
    assert evidence == month_evidence(result)
    assert f"entry:{thanks.id}" in (evidence or {})["refs"]
    assert _stored(services, "2026-12")[0] is None
    before = _corrections(services, clock)
    assert before == [("overdue_case_day", -3, "2026-12"), ("quarrel", 1, "2026-12")]

    engine = services.db.engine
    command.downgrade(alembic_config(engine), "0016")
    columns = {c["name"] for c in inspect(engine).get_columns("assessment_months")}
    assert "evidence" not in columns
    upgrade(engine)

    assert _stored(services, "2026-11") == (evidence, result)
    assert _stored(services, "2026-12")[0] is None
    assert _corrections(services, clock) == before

    # a closed month found without its evidence (never expected) is read from its result
    with services.db.write() as work:
        work.session.execute(
            update(AssessmentMonth).where(AssessmentMonth.month == "2026-11").values(evidence=None)
        )
    assert _corrections(services, clock) == before
    services.db.engine.dispose()
