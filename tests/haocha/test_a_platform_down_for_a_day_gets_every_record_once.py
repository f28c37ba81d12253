"""The provincial platform is down for a whole simulated day: nothing is given up, its outage
costs one attempt per round and not one per record, and when it returns it gets every record
exactly once, with the day's reconciliation file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from queue_server.domain.rating import Level
from queue_server.services.follow_ups import FollowUpService
from queue_server.services.haocha import HaochaReporter, reporting_status
from queue_server.storage.haocha_tables import HaochaOutbox
from queue_server.storage.tables import FollowUp
from tests.support.factories import make_services
from tests.support.haocha import RatedVisits, lead_actor, reporting_hall
from tests.support.haocha_receiver import HaochaReceiver

ROUND = timedelta(minutes=5)


@pytest.fixture
def reporting(
    database_url: str, clock: ManualClock, receiver: HaochaReceiver, tmp_path: Path
) -> Iterator[Services]:
    """On both engines: PostgreSQL claims with SKIP LOCKED, SQLite with its single writer."""
    built = make_services(database_url, reporting_hall(receiver.url, tmp_path), clock=clock)
    yield built
    built.db.engine.dispose()


def _attempts(services: Services) -> int:
    with services.db.read() as session:
        return int(session.scalar(select(func.sum(HaochaOutbox.attempts))) or 0)


def test_every_record_arrives_once_after_a_day_down(
    reporting: Services,
    reporter: HaochaReporter,
    visits: RatedVisits,
    receiver: HaochaReceiver,
    clock: ManualClock,
    tmp_path: Path,
) -> None:
    hall = reporting.halls.get("test")
    day = hall.calendar.business_day(clock.now())
    levels = [Level.VERY_SATISFIED, Level.SATISFIED, Level.DISSATISFIED, Level.VERY_SATISFIED]
    for level in levels:
        visits.rate(level, phone="13800001111" if level is Level.DISSATISFIED else None)
    with reporting.db.read() as session:
        follow_up = session.scalars(select(FollowUp)).one()
    follow_ups = FollowUpService(reporting.db, reporting.halls, clock)
    lead = lead_actor(reporting)
    follow_ups.record_contact("test", follow_up.id, "phoned the visitor", lead)

    rounds = 0
    end_of_outage = clock.now() + timedelta(days=1)
    while clock.now() < end_of_outage:
        assert reporter.run_once() == 0
        rounds += 1
        if rounds == 12:  # an hour into the outage, more happens at the hall
            visits.rate(Level.BASICALLY_SATISFIED)
            follow_ups.record_fix("test", follow_up.id, "talked with the clerk", lead)
        clock.advance(ROUND)
    assert receiver.received.posts == 0
    # One attempt per round at most, whatever the number of records waiting.
    assert _attempts(reporting) <= rounds
    status = reporting_status(reporting.db, hall, clock.now())
    assert status.pending == 7  # five ratings, a contact and a fix
    assert status.last_error is not None and "no answer" in status.last_error

    receiver.up()
    for _ in range(30):  # the longest pause is an hour: at most that long after it returns
        reporter.run_once()
        if reporting_status(reporting.db, hall, clock.now()).pending == 0:
            break
        clock.advance(ROUND)
    received = receiver.received
    assert len(received.records) == 7
    assert (received.repeats, received.bad_signatures) == (0, 0)
    assert received.app_ids == {"HALL-TEST-01"}
    types = sorted(r["recordType"] for r in received.records.values())
    assert types == ["1", "1", "1", "1", "1", "2", "3"]

    reconciliation = json.loads(
        (tmp_path / "reconciliation" / f"test-{day.isoformat()}.json").read_text("utf-8")
    )
    assert reconciliation["records"] == 7
    assert reconciliation["ratings_per_level"] == {"2": 1, "3": 1, "4": 1, "5": 2}
    assert sorted(reconciliation["ids"]) == sorted(received.records)
