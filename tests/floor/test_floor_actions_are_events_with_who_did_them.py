"""Each action of the duty lead changes the hall through the API and is one event naming
the duty lead: services of a window, closing and opening it, issuing, an announcement."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from queue_server.storage.tables import Event
from tests.floor.conftest import Floor


def events(floor: Floor, kind: str) -> list[Event]:
    with floor.services.db.read() as session:
        return list(session.scalars(select(Event).where(Event.kind == kind).order_by(Event.seq)))


def test_reassigning_a_window_changes_its_next_call(floor: Floor) -> None:
    tax = floor.api.post("/tickets", json={"service": "TAX"}).json()
    soc = floor.api.post("/tickets", json={"service": "SOC"}).json()
    moved = floor.api.put("/windows/1/services", json={"services": {"TAX": 5, "SOC": 1}})
    assert moved.json() == {"window": 1, "services": {"SOC": 1, "TAX": 5}}
    # Window 1 now serves TAX before SOC although the SOC ticket is as old.
    assert floor.api.post("/windows/1/call-next").json()["number"] == tax["number"]
    [event] = events(floor, "window.services_changed")
    assert event.clerk_id == floor.lead.user_id and event.window_no == 1
    assert event.payload == {"services": {"SOC": 1, "TAX": 5}, "was": {"SOC": 3, "TAX": 1}}
    assert floor.api.get("/snapshot").json()["windows"][0]["services"] == {"SOC": 1, "TAX": 5}
    assert soc["number"] == "A001"


def test_a_reassignment_names_known_services_only(floor: Floor) -> None:
    unknown = floor.api.put("/windows/1/services", json={"services": {"XYZ": 1}})
    assert unknown.status_code == 422 and unknown.json()["error"] == "unknown_service"
    empty = floor.api.put("/windows/1/services", json={"services": {}})
    assert empty.json()["error"] == "no_services"


def test_closing_a_window_stops_its_calls_until_it_opens(floor: Floor) -> None:
    floor.api.post("/tickets", json={"service": "TAX"})
    assert floor.api.post("/windows/2/close", json={"reason": "系统故障"}).is_success
    refused = floor.api.post("/windows/2/call-next")
    assert refused.status_code == 422 and refused.json()["error"] == "window_closed"
    assert floor.api.get("/snapshot").json()["windows"][1]["is_open"] is False
    assert floor.api.post("/windows/2/close", json={}).json()["error"] == "already_closed"
    assert floor.api.post("/windows/2/open").is_success
    assert floor.api.post("/windows/2/call-next").status_code == 200
    closed, opened = events(floor, "window.closed"), events(floor, "window.opened")
    assert [e.clerk_id for e in closed + opened] == [floor.lead.user_id] * 2
    assert closed[0].payload == {"reason": "系统故障"}


def test_a_window_with_a_visitor_is_not_closed(floor: Floor) -> None:
    floor.api.post("/tickets", json={"service": "TAX"})
    floor.api.post("/windows/2/call-next")
    busy = floor.api.post("/windows/2/close", json={})
    assert busy.status_code == 409 and "B001" in busy.json()["message"]


def test_stopping_issuing_refuses_with_a_clear_409_until_resumed(floor: Floor) -> None:
    stop = floor.api.post("/services/RES/stop-issuing", json={"reason": "系统升级"})
    assert stop.is_success
    refused = floor.api.post("/tickets", json={"service": "RES"})
    assert refused.status_code == 409
    assert refused.json() == {
        "error": "issuing_stopped",
        "message": "issuing is stopped for service RES today",
    }
    assert floor.api.post("/services/RES/resume-issuing").is_success
    assert floor.api.post("/tickets", json={"service": "RES"}).status_code == 201
    [stopped] = events(floor, "service.issuing_stopped")
    assert stopped.payload == {"service": "RES", "reason": "系统升级"}
    assert stopped.clerk_id == floor.lead.user_id
    assert events(floor, "service.issuing_resumed")[0].clerk_id == floor.lead.user_id


def test_an_announcement_is_current_until_it_expires(floor: Floor) -> None:
    made = floor.api.post("/announcements", json={"text": "  午休  期间 暂停 ", "minutes": 5})
    assert made.status_code == 201
    assert made.json()["text"] == "午休 期间 暂停"
    # The hall board reads it without a token.
    current = httpx.get(f"{floor.api.base_url}announcements/current")
    assert current.json()["text"] == "午休 期间 暂停"
    [event] = events(floor, "hall.announcement")
    assert event.clerk_id == floor.lead.user_id
    assert event.payload["text"] == "午休 期间 暂停"
