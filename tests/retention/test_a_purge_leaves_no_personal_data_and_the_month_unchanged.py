"""After the retention period, `RetentionService.purge` clears every registered personal
column: no table holds the visitors' names, phones or ID numbers any more (every text and
JSON cell of every table is searched), while every other cell, the month's counts and the
month's report itself (queue_server/reports) are exactly as before; the chain verifies."""

from __future__ import annotations

import zlib
from collections import Counter
from datetime import timedelta

from sqlalchemy import select

from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from queue_server.services.event_log import verify_chain
from queue_server.services.reports import ReportService
from queue_server.services.retention import RetentionService
from queue_server.storage.report_tables import MonthPassCheckpoint
from queue_server.storage.tables import FollowUp, Rating, Ticket
from tests.retention.visits import bad_visit, facts, find
from tests.support.factories import make_services, small_hall

PEOPLE = [
    ("张三丰", "13812345678", "330106199001011234"),
    ("李小龙", "13987654321", "11010519491231002X"),
]


def test_purge_clears_personal_data_and_keeps_the_month(
    database_url: str, clock: ManualClock
) -> None:
    services: Services = make_services(database_url, small_hall(), clock=clock)
    try:
        for person in PEOPLE:
            bad_visit(services, *person)
        secrets = [value for person in PEOPLE for value in person]
        assert len(find(services, secrets)) >= 2 * len(PEOPLE), "the seed must leave traces"
        before = facts(services)
        month = month_counts(services)
        clock.advance(timedelta(days=31))
        reports = ReportService(services.db, services.halls, clock)
        report = reports.month_measures("test", "2026-11")
        with services.db.read() as session:  # the month's kept pass holds nobody's data
            (kept,) = session.scalars(select(MonthPassCheckpoint.state)).all()
        assert not [s for s in secrets if s.encode() in zlib.decompress(kept)]

        result = RetentionService(services.db, services.halls, clock).purge("test")

        assert result.rows["follow_ups.opened_at"] == len(PEOPLE)
        assert find(services, secrets) == []
        assert facts(services) == before
        assert month_counts(services) == month
        assert reports.month_measures("test", "2026-11") == report
        with services.db.read() as session:
            count, broken = verify_chain(session, "test")
        assert broken is None and count > 0
        again = RetentionService(services.db, services.halls, clock).purge("test")
        assert again.total == 0
    finally:
        services.db.engine.dispose()


def month_counts(services: Services) -> dict[str, Counter[str]]:
    """What the monthly report counts: tickets by service and state, ratings by level,
    follow-ups by state."""
    with services.db.read() as session:
        return {
            "tickets": Counter(
                f"{s}/{st}" for s, st in session.execute(select(Ticket.service_code, Ticket.state))
            ),
            "ratings": Counter(session.scalars(select(Rating.level))),
            "follow_ups": Counter(session.scalars(select(FollowUp.state))),
        }
