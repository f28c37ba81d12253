"""What the live stream and the clerk can see of a rating: that one was given at the window,
never which level nor for which ticket; a bad rating's follow-up is not announced."""

from __future__ import annotations

from sqlalchemy import select

from queue_server.api.deps import Services
from queue_server.storage.tables import Event
from tests.rating.helpers import Window
from tests.support.live_server import LiveServer


def test_the_event_of_a_rating_names_no_level_and_no_ticket(
    server: LiveServer, services: Services
) -> None:
    window = Window(server.url, services)
    ticket = window.finish()
    assert window.rate(ticket["id"], "very_dissatisfied", phone="13800000000").status_code == 201
    with services.db.read() as session:
        rows = list(session.scalars(select(Event).where(Event.seq > 5).order_by(Event.seq)))
    kinds = [row.kind for row in rows]
    assert kinds == ["rating.given"], "no separate event tells of the follow-up"
    [given] = rows
    assert given.ticket_id is None
    assert list(given.payload) == ["rating"]
    assert "very" not in str(given.payload) and ticket["id"] not in str(given.payload)
