"""Calling out of order needs a reason, and the event log keeps it."""

from __future__ import annotations

from queue_server.api.deps import Services
from queue_server.services.event_log import events_after
from tests.support.api import Api


def test_out_of_order_call_is_refused_without_a_reason(api: Api) -> None:
    api.ticket()
    second = api.ticket()
    response = api.window(1, "call", {"ticket": second["number"]})
    assert response.status_code == 422
    assert response.json()["error"] == "reason_required"


def test_out_of_order_call_records_its_reason(api: Api, services: Services) -> None:
    api.ticket()
    second = api.ticket()
    response = api.window(1, "call", {"ticket": second["number"], "reason": "wheelchair"})
    assert response.status_code == 200
    with services.db.read() as session:
        called = [e for e in events_after(session, "test", 0) if e.kind == "ticket.called"]
    assert called[-1].payload["out_of_order"] is True
    assert called[-1].payload["reason"] == "wheelchair"


def test_a_ticket_already_called_elsewhere_says_where(api: Api) -> None:
    ticket = api.ticket()
    api.call_next(1)
    response = api.window(3, "call", {"ticket": ticket["number"], "reason": "x"})
    assert response.status_code == 409
    assert "at window 1" in response.json()["message"]
