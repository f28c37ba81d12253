"""A move at a window on a ticket at another window is refused with 403, by every move that
checks it in its own transaction instead of the access check reading the ticket first
(api/access.py CHECKED_BY_THE_MOVE), and nothing of the ticket changes."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import func, select

from queue_server.api.access import CHECKED_BY_THE_MOVE, RULES
from queue_server.domain.access import Scope
from queue_server.storage.tables import Event, Ticket
from tests.access.conftest import Hall
from tests.support.auth import bearer

BASE = "/api/v1/halls/test"

# Each move with a body it accepts, so that only the window can refuse it.
MOVES: dict[str, tuple[str, str, object]] = {
    "recall_ticket": ("POST", "recall", None),
    "mark_no_show": ("POST", "no-show", None),
    "start_ticket": ("POST", "start", None),
    "hold_ticket": ("POST", "hold", {"note": "fetching a form"}),
    "return_ticket": ("POST", "return", None),
    "transfer_ticket": ("POST", "transfer", {"service": "TAX", "note": "tax question"}),
    "finish_ticket": ("POST", "finish", {"case_type": "immediate"}),
    "ticket_handover": ("GET", "handover", None),
}


def the_ticket_and_the_log(hall: Hall) -> tuple[str, int | None, int]:
    with hall.services.db.read() as session:
        ticket = session.get(Ticket, hall.ticket_id)
        assert ticket is not None
        events = session.scalar(select(func.count()).select_from(Event))
        return ticket.state, ticket.window_no, int(events or 0)


def test_every_move_that_checks_the_ticket_itself_is_listed_here() -> None:
    assert set(MOVES) == set(CHECKED_BY_THE_MOVE)
    assert all(RULES[name].scope is Scope.WINDOW for name in CHECKED_BY_THE_MOVE)


@pytest.mark.parametrize("who", ["clerk at window 2", "duty lead"])
@pytest.mark.parametrize("move", sorted(MOVES))
def test_it_refuses_a_ticket_at_another_window(hall: Hall, who: str, move: str) -> None:
    method, path, body = MOVES[move]
    before = the_ticket_and_the_log(hall)
    token = hall.token(hall.people[who])
    assert token is not None
    response = httpx.request(
        method,
        f"{hall.server.url}{BASE}/windows/2/tickets/{hall.ticket_id}/{path}",
        json=body,
        headers=bearer(token),
    )
    assert response.status_code == 403, response.text
    assert response.json()["error"] == "not_at_this_window"
    assert "is at window 1, not at window 2" in response.json()["message"]
    assert the_ticket_and_the_log(hall) == before == ("called", 1, before[2])
