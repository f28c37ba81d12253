"""The hottest writes skip SQLAlchemy's execution machinery (services/prepared.py). They must
store exactly what SQLAlchemy stores for the same values (instants, JSON, dates, as the
driver sees them back), and a driver error must reach the caller as SQLAlchemy's own, on both
engines."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any, cast

import pytest
from sqlalchemy import Table, insert, select, text
from sqlalchemy.exc import IntegrityError

from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from queue_server.services.event_log import EVENT_COLUMNS
from queue_server.services.prepared import PreparedWrite
from queue_server.storage.tables import Counter, Event
from tests.support.factories import make_services, small_hall

COUNTERS = cast(Table, Counter.__table__)
KEYS = ["hall_id", "business_day", "key", "value"]
PREPARED = PreparedWrite(insert(COUNTERS), KEYS)


@pytest.fixture
def built(database_url: str, clock: ManualClock) -> Iterator[Services]:
    services = make_services(database_url, small_hall(), clock=clock)
    yield services
    services.db.engine.dispose()


def stored(services: Services, key: str) -> tuple[Any, ...]:
    with services.db.read() as session:
        # As the driver returns it, without SQLAlchemy's result processing.
        row = session.execute(
            text("SELECT hall_id, business_day, key, value FROM counters WHERE key = :key"),
            {"key": key},
        ).one()
        return tuple(row)


def test_it_stores_the_row_sqlalchemy_would(built: Services) -> None:
    values = {"hall_id": "test", "business_day": date(2026, 11, 30), "value": 7}
    with built.db.write() as work:
        work.session.execute(insert(COUNTERS), {**values, "key": "by-sqlalchemy"})
        PREPARED.run(work.session, {**values, "key": "prepared"})
    prepared, by_sqlalchemy = stored(built, "prepared"), stored(built, "by-sqlalchemy")
    assert prepared[:2] + prepared[3:] == by_sqlalchemy[:2] + by_sqlalchemy[3:]
    assert prepared[3] == 7


def test_it_writes_instants_and_json_as_sqlalchemy_does(
    built: Services, clock: ManualClock
) -> None:
    events = cast(Table, Event.__table__)
    prepared = PreparedWrite(insert(events), EVENT_COLUMNS)
    at = datetime(2026, 11, 30, 8, 27, 59, 1, tzinfo=UTC)
    row: dict[str, Any] = {
        "hall_id": "test",
        "kind": "window.opened",
        "at": at,
        "ticket_id": None,
        "window_no": 1,
        "clerk_id": None,
        "device_id": "d",
        "payload": {"名": "窗口", "n": [1, 2.5, None]},
        "prev_hash": "p",
        "hash": "h",
    }
    with built.db.write() as work:
        work.session.execute(text("UPDATE halls SET last_seq = 1000 WHERE id = 'test'"))
        work.session.execute(insert(events), {**row, "seq": 2001})
        prepared.run(work.session, {**row, "seq": 2002})
    with built.db.read() as session:
        raw = session.execute(
            text("SELECT seq, at, payload FROM events WHERE seq IN (2001, 2002) ORDER BY seq")
        ).all()
        typed = session.execute(
            select(events.c.at, events.c.payload).where(events.c.seq.in_([2001, 2002]))
        ).all()
    assert raw[0][1:] == raw[1][1:]
    assert typed[0] == typed[1] == (at, row["payload"])


def test_it_raises_a_duplicate_as_sqlalchemys_integrity_error(built: Services) -> None:
    values = {"hall_id": "test", "business_day": date(2026, 11, 30), "key": "k", "value": 1}
    with pytest.raises(IntegrityError), built.db.write() as work:
        PREPARED.run(work.session, values)
        PREPARED.run(work.session, values)
    with built.db.read() as session:
        assert session.execute(select(COUNTERS).where(COUNTERS.c.key == "k")).first() is None


def test_it_refuses_a_statement_with_values_it_is_not_given(built: Services) -> None:
    given_too = PreparedWrite(insert(COUNTERS).values(value=0), ["hall_id", "business_day", "key"])
    with pytest.raises(ValueError, match="every value"), built.db.write() as work:
        values = {"hall_id": "test", "business_day": date(2026, 11, 30), "key": "x"}
        given_too.run(work.session, values)
