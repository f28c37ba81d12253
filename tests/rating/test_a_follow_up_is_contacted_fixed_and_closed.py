"""The follow-up of a bad rating: due after the hall's configured working days, shown to the
duty lead and supervision with what the visitor said, closed only after the contact with the
visitor and the fix are recorded, each step in the event log with who did it."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import select

from queue_server.api.app import create_app
from queue_server.config.models import RatingSection
from queue_server.domain.access import Role
from queue_server.domain.clock import ManualClock
from queue_server.storage.tables import Event
from tests.rating.helpers import Window
from tests.support.auth import staff_login
from tests.support.factories import make_services, small_hall
from tests.support.live_server import live_server


def test_the_follow_up_workflow(sqlite_url: str, clock: ManualClock) -> None:
    hall = small_hall().model_copy(update={"rating": RatingSection(follow_up_working_days=2)})
    services = make_services(sqlite_url, hall, clock=clock)
    with live_server(create_app(services)) as server:
        window = Window(server.url, services)
        ticket = window.finish()
        rated = window.rate(
            ticket["id"], "very_dissatisfied", reasons=["attitude"], phone="138 0000 0000"
        )
        # Wednesday 25 November 2026 + 2 working days.
        assert rated.json()["follow_up_deadline"] == "2026-11-27"

        lead = staff_login(services, Role.DUTY_LEAD)
        supervisor = staff_login(services, Role.SUPERVISOR)
        api = httpx.Client(base_url=f"{server.url}/api/v1/halls/test")
        [opened] = api.get(
            "/follow-ups", params={"state": "open"}, headers=supervisor.headers
        ).json()
        assert opened["visitor_phone"] == "138 0000 0000"
        assert (opened["level"], opened["reasons"], opened["overdue"]) == (
            "very_dissatisfied", ["attitude"], False,
        )  # fmt: skip
        path = f"/follow-ups/{opened['id']}"

        early = api.post(path + "/close", json={"note": "done"}, headers=lead.headers)
        assert early.status_code == 422
        assert early.json()["message"] == (
            "record the contact and the fix before closing the follow-up"
        )
        contacted = api.post(
            path + "/contact", json={"note": "phoned, apologised"}, headers=lead.headers
        ).json()
        assert contacted["contact"]["by"] == lead.staff_no
        api.post(path + "/fix", json={"note": "talked with the clerk"}, headers=lead.headers)
        closed = api.post(
            path + "/close", json={"note": "visitor content"}, headers=supervisor.headers
        )
        assert closed.json()["state"] == "closed"
        assert closed.json()["closure"]["by"] == supervisor.staff_no
        again = api.post(path + "/fix", json={"note": "more"}, headers=lead.headers)
        assert again.json()["error"] == "follow_up_closed"
        assert api.get("/follow-ups", params={"state": "open"}, headers=lead.headers).json() == []
        api.close()
    with services.db.read() as session:
        steps = [
            (e.kind, e.clerk_id)
            for e in session.scalars(select(Event).where(Event.kind.like("follow_up.%")))
        ]
    assert steps == [
        ("follow_up.contacted", lead.user_id),
        ("follow_up.fixed", lead.user_id),
        ("follow_up.closed", supervisor.user_id),
    ]
    services.db.engine.dispose()


def test_an_open_follow_up_past_its_deadline_is_overdue(
    sqlite_url: str, clock: ManualClock
) -> None:
    services = make_services(sqlite_url, small_hall(), clock=clock)
    with live_server(create_app(services)) as server:
        window = Window(server.url, services)
        ticket = window.finish()
        window.rate(ticket["id"], "dissatisfied")
        clock.advance(timedelta(days=8))  # past Wednesday 2 December
        lead = staff_login(services, Role.DUTY_LEAD)
        [late] = httpx.get(
            f"{server.url}/api/v1/halls/test/follow-ups", headers=lead.headers
        ).json()
        assert (late["deadline"], late["overdue"]) == ("2026-12-02", True)
    services.db.engine.dispose()
