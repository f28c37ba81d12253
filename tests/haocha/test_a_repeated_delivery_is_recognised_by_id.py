"""The platform stores a record but its answer is lost: the retry carries the same id and the
same HMAC-SM3 signature scheme, the platform answers 409, and that counts as delivered."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from queue_server.domain.clock import ManualClock
from queue_server.domain.rating import Level
from queue_server.services.haocha import HaochaReporter, reporting_status
from queue_server.storage.haocha_tables import HaochaOutbox
from tests.support.factories import make_services
from tests.support.haocha import RatedVisits, reporting_hall
from tests.support.haocha_receiver import HaochaReceiver


def test_a_lost_answer_is_sent_again_and_recognised(
    sqlite_url: str, clock: ManualClock, tmp_path: Path
) -> None:
    with HaochaReceiver("hmac-sm3") as receiver:
        hall = reporting_hall(receiver.url, tmp_path, signature="hmac-sm3")
        services = make_services(sqlite_url, hall, clock=clock)
        reporter = HaochaReporter(services.db, services.halls, clock)
        try:
            rating = RatedVisits(services, clock).rate(Level.SATISFIED)
            receiver.drop_next_answers = 1
            assert reporter.run_once() == 0
            assert list(receiver.received.records) == [f"test-{rating}"]
            status = reporting_status(services.db, services.halls.get("test"), clock.now())
            assert status.pending == 1

            reporter.run_once()  # the back-off has not passed: nothing is sent
            assert receiver.received.posts == 1
            clock.advance(timedelta(seconds=31))
            assert reporter.run_once() == 1
        finally:
            reporter.close()
            services.db.engine.dispose()
    assert receiver.received.posts == 2
    assert receiver.received.repeats == 1
    assert receiver.received.bad_signatures == 0
    assert len(receiver.received.records) == 1
    with services.db.read() as session:
        row = session.scalars(select(HaochaOutbox)).one()
    assert row.delivered_at is not None and row.attempts == 2


def test_a_wrong_secret_is_refused_and_kept(
    sqlite_url: str, clock: ManualClock, tmp_path: Path
) -> None:
    """The platform refuses a bad signature (401); the record stays, never given up."""
    with HaochaReceiver("hmac-sha256") as receiver:
        hall = reporting_hall(receiver.url, tmp_path, signature="hmac-sm3")
        services = make_services(sqlite_url, hall, clock=clock)
        reporter = HaochaReporter(services.db, services.halls, clock)
        try:
            RatedVisits(services, clock).rate(Level.VERY_SATISFIED)
            assert reporter.run_once() == 0
            status = reporting_status(services.db, services.halls.get("test"), clock.now())
        finally:
            reporter.close()
            services.db.engine.dispose()
    assert receiver.received.bad_signatures == 1
    assert status.pending == 1 and status.last_error is not None
    assert status.last_error.startswith("HTTP 401")
