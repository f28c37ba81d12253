"""A start, hold or no-show at a window is one compare-and-set UPDATE: the ticket by its id,
if it is still in this hall, at this window and in a state the move is taken from. It must
find the row by its key. PostgreSQL's generic plan for the prepared statement priced the
indexes that lead with (hall, window) or (hall, state) like the key and walked every ticket
the window had finished: a no-show read 356 rows a window by the end of the demo month, a
year's history twelve times that (issue 22)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy.orm import Session

from queue_server.domain.tickets import Action
from queue_server.services import queries
from tests.support.factories import OPEN_MORNING, make_services, small_hall
from tests.support.plans import postgres_plan
from tests.support.window_history import HALL, WINDOW, filled_window_history

CALLED_AT_THE_WINDOW = "t09000"
MOVES = [(Action.START, "started_at"), (Action.NO_SHOW, "finished_at"), (Action.HOLD, "held_at")]
VALUES = {"tid": CALLED_AT_THE_WINDOW, "hall": HALL, "window": WINDOW, "at": OPEN_MORNING}


@pytest.mark.parametrize("analyzed", [True, False], ids=["with statistics", "before any"])
def test_postgresql_moves_a_ticket_found_by_its_key(postgres_url: str, analyzed: bool) -> None:
    engine = filled_window_history(postgres_url, analyzed=analyzed)
    try:
        for action, stamp in MOVES:
            statement = queries._move_statement(action, stamp)._statement
            for generic in (False, True):
                # EXPLAIN ANALYZE runs the UPDATE; postgres_plan's connection rolls it back.
                plan = postgres_plan(engine, statement, VALUES, generic=generic, analyze=True)
                assert "Index Scan using pk_tickets on tickets" in plan, (action, generic, plan)
                removed = [int(n) for n in re.findall(r"Rows Removed by Filter: (\d+)", plan)]
                assert sum(removed) < 10, (action, generic, plan)
    finally:
        engine.dispose()


@pytest.mark.parametrize(("action", "stamp"), MOVES, ids=[a.value for a, _ in MOVES])
def test_the_move_still_checks_hall_window_and_state(
    database_url: str, action: Action, stamp: str
) -> None:
    engine = filled_window_history(database_url)
    make_services(database_url, small_hall("other")).db.engine.dispose()
    try:
        with Session(engine) as session:
            elsewhere = {"hall_id": "other", "window_no": WINDOW + 1}
            for name, wrong in elsewhere.items():
                moved = queries.move_at_window(
                    session,
                    wrong if name == "hall_id" else HALL,
                    wrong if name == "window_no" else WINDOW,
                    CALLED_AT_THE_WINDOW,
                    action,
                    stamp,
                    OPEN_MORNING,
                )
                assert moved is None, name
            finished = "t00002"  # finished at window 3: no move is taken from there
            assert (
                queries.move_at_window(session, HALL, WINDOW, finished, action, stamp, OPEN_MORNING)
                is None
            )
            moved = queries.move_at_window(
                session, HALL, WINDOW, CALLED_AT_THE_WINDOW, action, stamp, OPEN_MORNING
            )
            assert moved is not None and moved.id == CALLED_AT_THE_WINDOW
            assert getattr(moved, stamp) is not None
            session.rollback()
    finally:
        engine.dispose()
