"""The handling samples behind every estimate are computed by the database in whole
microseconds (services/queries.py): they must equal Python's own `(finished - started)` in
minutes to the bit, across a second's, a minute's and an hour's boundary and a month's end,
on both engines."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from queue_server.domain.tickets import CaseType
from queue_server.services.event_log import Actor
from queue_server.services.queries import handling_minutes
from queue_server.services.tickets import IssueRequest
from tests.support.auth import clerk_at
from tests.support.factories import make_services, small_hall

# (started, time at the window), inside the hall's hours (Asia/Shanghai): borrows across the
# second, the minute and the hour, on several days and across a month's end.
CASES = [
    (datetime(2026, 11, 25, 2, 0, 0, 999_999, tzinfo=UTC), timedelta(microseconds=2)),
    (datetime(2026, 11, 25, 2, 10, 59, 500_000, tzinfo=UTC), timedelta(minutes=7, seconds=0.75)),
    (datetime(2026, 11, 26, 3, 59, 59, 1, tzinfo=UTC), timedelta(minutes=3, microseconds=-2)),
    (datetime(2026, 11, 30, 8, 27, 59, 0, tzinfo=UTC), timedelta(seconds=1)),
    (
        datetime(2026, 12, 1, 1, 30, 0, 123_456, tzinfo=UTC),
        timedelta(hours=1, microseconds=654_321),
    ),
]


@pytest.fixture
def built(database_url: str, clock: ManualClock) -> Iterator[Services]:
    services = make_services(database_url, small_hall(), clock=clock)
    yield services
    services.db.engine.dispose()


def test_it_gives_the_minutes_python_gives(built: Services, clock: ManualClock) -> None:
    clerk = Actor(clerk=clerk_at(built, 2).user_id)
    queue = built.queue
    for started, spent in CASES:
        clock.set(started - timedelta(minutes=1))
        ticket = queue.issue("test", IssueRequest("TAX"), actor=clerk).ticket
        called = queue.call_next("test", 2, actor=clerk)
        assert called is not None and called.id == ticket.id
        clock.set(started)
        queue.start("test", 2, ticket.id, actor=clerk)
        clock.set(started + spent)
        queue.finish("test", 2, ticket.id, CaseType.IMMEDIATE, actor=clerk)
    with built.db.read() as session:
        samples = handling_minutes(session, "test", "TAX")
    expected = [spent.total_seconds() / 60 for _, spent in reversed(CASES)]
    assert samples == expected
