"""A plain move at a window (no-show, start, hold) is one compare-and-set UPDATE of the ticket
(queries.move_at_window), not a read into the session and a write after it (issue 22); a
ticket the transaction already holds as an object takes the checked way, and both ways leave
the same row and the same answer."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from queue_server.api.deps import Services
from queue_server.services.event_log import SYSTEM
from queue_server.services.tickets import IssueRequest
from queue_server.services.views import TicketView
from queue_server.storage.tables import Ticket
from tests.support.auth import clerk_at
from tests.support.factories import make_services, small_hall


@pytest.fixture
def hall(database_url: str) -> Iterator[Services]:
    built = make_services(database_url, small_hall())
    clerk_at(built, 1)
    yield built
    built.db.engine.dispose()


def statements_on_tickets(engine: Engine) -> list[str]:
    """What SQLite runs on the tickets table from now on (the driver's own trace: prepared
    statements bypass SQLAlchemy's events)."""
    seen: list[str] = []

    def trace(sql: str) -> None:
        if re.search(r"\btickets\b", sql):
            seen.append(" ".join(sql.split()))

    @event.listens_for(engine, "connect")
    def _trace(dbapi_connection: object, _record: object) -> None:
        dbapi_connection.set_trace_callback(trace)  # type: ignore[attr-defined]

    engine.dispose()  # new connections, each traced
    return seen


def called_ticket(services: Services) -> TicketView:
    services.queue.issue("test", IssueRequest("SOC"))
    called = services.queue.call_next("test", 1)
    assert called is not None
    return called


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("move", "state"), [("no_show", "no_show"), ("start", "serving"), ("hold", "on_hold")]
)
def test_it_moves_the_ticket_with_one_update(hall: Services, move: str, state: str) -> None:
    ticket = called_ticket(hall)
    seen = statements_on_tickets(hall.db.engine)
    if move == "hold":
        moved = hall.queue.hold("test", 1, ticket.id, None, SYSTEM)
    else:
        moved = getattr(hall.queue, move)("test", 1, ticket.id, SYSTEM)
    assert moved.state == state
    assert len(seen) == 1, seen
    assert seen[0].startswith("UPDATE tickets SET") and "RETURNING" in seen[0], seen


def test_a_ticket_already_held_as_an_object_takes_the_checked_way(hall: Services) -> None:
    ticket = called_ticket(hall)
    queue = hall.queue
    recalled, missed = hall.db.run_together(
        [queue.recall_job("test", 1, ticket.id, SYSTEM), queue.no_show_job("test", 1, ticket.id)]
    )
    assert isinstance(recalled, TicketView) and recalled.recall_count == 1
    assert isinstance(missed, TicketView) and missed.state == "no_show"
    assert missed.recall_count == 1  # the recall of the same transaction is seen
    with hall.db.read() as session:
        row = session.get(Ticket, ticket.id)
        assert row is not None
        assert (row.state, row.recall_count, row.finished_at) == (
            "no_show",
            1,
            missed.finished_at,
        )


def test_the_answer_is_the_row_as_stored(hall: Services) -> None:
    ticket = called_ticket(hall)
    started = hall.queue.start("test", 1, ticket.id)
    with hall.db.read() as session:
        row = session.get(Ticket, ticket.id)
        assert row is not None
        assert TicketView.of(row) == started
    assert started.started_at == hall.clock.now() and started.window == 1
