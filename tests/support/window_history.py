"""A hall whose window has a long history: the table a window's readers must not walk."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import Table, insert, text
from sqlalchemy.engine import Engine

from queue_server.storage.engine import make_engine
from queue_server.storage.tables import Ticket
from tests.support.factories import OPEN_MORNING, make_services, small_hall

HALL = "test"
WINDOW = 3
HISTORY = 600  # tickets the window has finished before the one at it now
TICKETS = Ticket.__table__
assert isinstance(TICKETS, Table)


def _ticket(n: int, state: str, window: int | None) -> dict[str, Any]:
    at = OPEN_MORNING - timedelta(days=1 + n // 100, minutes=n % 100)
    return {
        "id": f"t{n:05d}",
        "hall_id": HALL,
        "service_code": "SOC",
        "business_day": at.date(),
        "prefix": "A",
        "seq_no": n,
        "number": f"A{n:03d}",
        "priority": "normal",
        "state": state,
        "recall_count": 0,
        "issued_at": at,
        "order_at": at,
        "called_at": at if window is not None else None,
        "started_at": at if state == "finished" else None,
        "finished_at": at + timedelta(minutes=5) if state == "finished" else None,
        "window_no": window,
    }


def filled_window_history(url: str, *, analyzed: bool = False) -> Engine:
    """A hall whose window 3 finished `HISTORY` tickets and now calls one; the other windows
    finished as many between them; some tickets wait. `analyzed`: PostgreSQL's statistics
    taken, as autovacuum takes them now and then (hallq never analyzes SQLite)."""
    engine = make_engine(url)
    rows = [_ticket(n, "finished", 1 + n % 3) for n in range(3 * HISTORY)]
    rows.append(_ticket(9000, "called", WINDOW))
    rows += [_ticket(9001 + n, "waiting", None) for n in range(20)]
    make_services(url, small_hall(HALL)).db.engine.dispose()  # the hall, its windows
    with engine.begin() as connection:
        connection.execute(insert(TICKETS), rows)
        if analyzed:
            connection.execute(text("ANALYZE"))
    return engine
