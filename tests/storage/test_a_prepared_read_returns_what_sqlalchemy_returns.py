"""The hottest reads skip SQLAlchemy's execution machinery (services/prepared.py PreparedRead).
They must return exactly the values SQLAlchemy returns for the same statement (aware instants,
NULLs, the statement's own literals, a UNION with a bound LIMIT), see the transaction's own
writes, and raise a driver error as SQLAlchemy's own, on both engines."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import pytest
from sqlalchemy import Table, bindparam, func, insert, select, union_all
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from queue_server.services.prepared import PreparedRead
from queue_server.storage.tables import Ticket
from tests.support.factories import make_services, small_hall, ticket_row

TICKETS = cast(Table, Ticket.__table__)
t = TICKETS.c
AT = datetime(2026, 11, 30, 8, 27, 59, 123456, tzinfo=UTC)


@pytest.fixture
def built(database_url: str, clock: ManualClock) -> Iterator[Services]:
    services = make_services(database_url, small_hall(), clock=clock)
    yield services
    services.db.engine.dispose()


def ticket(n: int, **changes: Any) -> dict[str, Any]:
    return ticket_row(n, AT, **changes)


def test_it_returns_the_rows_sqlalchemy_returns(built: Services) -> None:
    statement = union_all(
        select(t.id, t.number, t.order_at, t.called_at, t.target_window, t.seq_no)
        .where(t.hall_id == bindparam("hall"), t.state == "waiting", t.priority == "normal")
        .order_by(t.order_at)
        .limit(bindparam("depth"))
        .subquery()
        .select(),
        select(t.id, t.number, t.order_at, t.called_at, t.target_window, t.seq_no).where(
            t.hall_id == bindparam("hall"), t.target_window == bindparam("window")
        ),
    )
    prepared = PreparedRead(statement)
    with built.db.write() as work:
        work.session.execute(
            insert(TICKETS),
            [
                ticket(1),
                ticket(2, priority="green"),
                ticket(3, called_at=AT, state="called", target_window=2),
                ticket(4),
                ticket(5),
            ],
        )
        params = {"hall": "test", "depth": 2, "window": 2}
        # In the writing transaction: it sees the rows just written, as SQLAlchemy does.
        mine = prepared.rows(work.session, params)
        theirs = [tuple(row) for row in work.session.execute(statement, params)]
    assert mine == theirs
    assert [row[0] for row in mine] == ["t1", "t4", "t3"]
    assert mine[0][2] == AT + timedelta(minutes=1) and mine[0][2].tzinfo is not None
    assert mine[2][3] == AT and mine[0][3] is None


def test_it_ignores_values_the_statement_does_not_take(built: Services) -> None:
    count = PreparedRead(select(func.count()).select_from(TICKETS).where(t.hall_id == "test"))
    with built.db.read() as session:
        assert count.rows(session, {"unused": 1}) == [(0,)]


def test_it_raises_a_driver_error_as_sqlalchemys(built: Services) -> None:
    broken = PreparedRead(select(func.no_such_function(t.id)).select_from(TICKETS))
    # A plain session: Database.read would turn SQLite's OperationalError into a 503.
    with pytest.raises(DBAPIError) as raised, Session(built.db.engine) as session:
        broken.rows(session, {})
    assert "no_such_function" in str(raised.value)
