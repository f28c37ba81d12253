"""A call reads the ticket at its window (there must be none), and so do the ticket of a
window, the estimate's open windows and the floor. They must find the one or two tickets at
a window now without walking every ticket the window has called or finished: on a filled
PostgreSQL table the planner priced the window's two history indexes alike and walked about
350 rows a window after the demo month, a year's history twelve times that, on every call
(issue 22; `ix_tickets_at_window`, migration 0019)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from queue_server.services import queries, ratings
from tests.support.factories import OPEN_MORNING
from tests.support.plans import postgres_plan
from tests.support.window_history import HALL, WINDOW, filled_window_history

# A plan's node reading the tickets or one of their indexes, and the rows it found.
TICKET_SCAN = r"Scan (?:using \w+ )?on (?:tickets|ix_tickets\w*)\b.*?actual time=\S+ rows=(\d+)"
VALUES = {"hall_id": HALL, "window": WINDOW}
# A rating counts what the window finished after the rated case: one ticket here.
SINCE = {"tid": "t00002", "hall": HALL, "window": WINDOW}
SINCE["finished_at"] = OPEN_MORNING - timedelta(days=1)
READERS = [
    ("the call's window and the ticket at it", queries._READY_WINDOW._statement, VALUES),
    ("the ticket at a window", queries._CURRENT, VALUES),
    ("the open windows and the tickets at them", queries._OPEN_WINDOWS, VALUES),
    ("what the window finished since a rated case", ratings._RATING_FACTS, SINCE),
]


@pytest.mark.parametrize("analyzed", [True, False], ids=["with statistics", "before any"])
def test_postgresql_reads_a_window_without_its_history(postgres_url: str, analyzed: bool) -> None:
    engine = filled_window_history(postgres_url, analyzed=analyzed)
    try:
        for what, statement, values in READERS:
            for generic in (False, True):
                plan = postgres_plan(engine, statement, values, generic=generic, analyze=True)
                assert "Seq Scan on tickets" not in plan, (what, generic, plan)
                scans = re.findall(TICKET_SCAN, plan)
                assert scans, (what, generic, plan)
                assert all(int(rows) <= 1 for rows in scans), (what, generic, plan)
                removed = [int(n) for n in re.findall(r"Rows Removed by Filter: (\d+)", plan)]
                assert sum(removed) < 10, (what, generic, plan)
    finally:
        engine.dispose()


def test_sqlite_seeks_the_ticket_at_a_window_by_its_state(sqlite_url: str) -> None:
    engine = filled_window_history(sqlite_url)
    try:
        for what, statement, values in READERS:
            expanded = statement.params(values).compile(dialect=engine.dialect)
            expanded = expanded.construct_expanded_state()
            # Each value as its column's type binds it on SQLite (no datetime to sqlite3).
            binds = {bind.key: bind for bind in statement.compile().binds.values()}
            args = []
            for key in expanded.positiontup or ():
                value = expanded.parameters[key]
                bind = binds.get(key)
                process = (
                    bind.type.dialect_impl(engine.dialect).bind_processor(engine.dialect)
                    if bind is not None
                    else None
                )
                args.append(process(value) if process is not None else value)
            with engine.connect() as connection:
                cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
                plan = [
                    str(row[3])
                    for row in cursor.execute(f"EXPLAIN QUERY PLAN {expanded.statement}", args)
                ]
            reads = [step for step in plan if " tickets " in f" {step} "]
            assert reads, (what, plan)
            assert all("state=?" in step for step in reads), (what, plan)
    finally:
        engine.dispose()


def test_the_readers_find_the_ticket_called_there(database_url: str) -> None:
    engine = filled_window_history(database_url)
    try:
        with Session(engine) as session:
            window = queries.ready_window_row(session, HALL, WINDOW)
            assert (window.busy_number, window.busy_state) == ("A9000", "called")
            assert queries.ready_window_row(session, HALL, 1).busy_number is None
            current = queries.current_ticket(session, HALL, WINDOW)
            assert current is not None and current.number == "A9000"
            assert queries.current_ticket(session, HALL, 1) is None
            busy = {w.number: w.busy_service for w in queries.open_windows(session, HALL)}
        assert busy == {1: None, 2: None, 3: "SOC"}
    finally:
        engine.dispose()
