"""The month passes read their rows through the driver's own cursor (services/plain_rows.py),
with each parameter bound as its column's type binds it for the dialect. An instant in a
`UTCDateTime` column reached SQLite as a Python datetime, through sqlite3's default adapter:
deprecated since Python 3.12 (a warning in every month's report there), and text of another
shape than the stored one. Here any datetime reaching the driver raises, so the test fails
without the dialect's own processing, on any Python. The rows read are SQLAlchemy's own."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import cast

import pytest
from sqlalchemy import Table, insert, select

from queue_server.api.deps import Services
from queue_server.services.plain_rows import plain_batches
from queue_server.storage.tables import Ticket
from tests.support.factories import ticket_row

TICKETS = cast(Table, Ticket.__table__)
START = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)  # a whole second: no microseconds to print


@pytest.fixture
def no_datetime_adapter() -> Iterator[None]:
    def refuse(value: datetime) -> str:
        raise AssertionError(f"a datetime reached sqlite3's adapter: {value!r}")

    key = (datetime, sqlite3.PrepareProtocol)
    before = sqlite3.adapters.get(key)
    sqlite3.register_adapter(datetime, refuse)
    yield
    if before is None:
        sqlite3.adapters.pop(key, None)
    else:
        sqlite3.adapters[key] = before


def test_an_instant_is_bound_as_its_column_binds_it(
    services_any: Services, no_datetime_adapter: None
) -> None:
    # On the bounds, just inside and just outside, to the microsecond.
    instants = [
        START - timedelta(microseconds=1),
        START,
        START + timedelta(minutes=5, microseconds=999_999),
        START + timedelta(hours=1),
    ]
    statement = (
        select(TICKETS.c.id)
        .where(
            TICKETS.c.issued_at >= START,
            TICKETS.c.issued_at < START + timedelta(hours=1),
        )
        .order_by(TICKETS.c.seq_no)
    )
    with services_any.db.write() as work:
        work.session.execute(
            insert(TICKETS),
            [ticket_row(n, at, order_at=at) for n, at in enumerate(instants, start=1)],
        )
    with services_any.db.read() as session:
        plain = [
            row for batch in plain_batches(session.connection(), statement, 2) for row in batch
        ]
        orm = session.execute(statement).all()
    assert [tuple(row) for row in plain] == [tuple(row) for row in orm] == [("t2",), ("t3",)]
