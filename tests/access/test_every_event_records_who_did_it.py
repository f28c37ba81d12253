"""Every change records its actor in the event log: the kiosk that issued, the clerk who
called and finished, the duty lead who paused, the display that took the rating."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from queue_server.api.deps import Services
from queue_server.domain.access import DeviceKind, Role
from queue_server.storage.tables import Event
from tests.support.auth import bearer, clerk_at, device_token, staff_login
from tests.support.live_server import LiveServer


def test_every_event_records_who_did_it(server: LiveServer, services: Services) -> None:
    kiosk = bearer(device_token(services, DeviceKind.KIOSK, name="kiosk-7"))
    display = bearer(device_token(services, DeviceKind.DISPLAY, window=1))
    clerk = clerk_at(services, 1)
    lead = staff_login(services, Role.DUTY_LEAD)
    with httpx.Client(base_url=f"{server.url}/api/v1/halls/test") as api:
        ticket = api.post("/tickets", json={"service": "SOC"}, headers=kiosk).json()
        api.post("/windows/1/call-next", headers=clerk.headers)
        api.post(f"/windows/1/tickets/{ticket['id']}/start", headers=clerk.headers)
        finished = api.post(
            f"/windows/1/tickets/{ticket['id']}/finish",
            json={"case_type": "immediate"},
            headers=clerk.headers,
        )
        assert finished.status_code == 200, finished.text
        rated = api.post(
            f"/windows/1/tickets/{ticket['id']}/rating",
            json={"level": "very_satisfied"},
            headers=display,
        )
        assert rated.status_code == 201, rated.text
        api.post("/windows/2/pause", json={"reason": "meeting"}, headers=lead.headers)
    with services.db.read() as session:
        actors = [
            (e.kind, e.clerk_id, e.device_id)
            for e in session.scalars(select(Event).order_by(Event.seq))
        ]
    assert actors == [
        ("clerk.signed_in", clerk.user_id, None),
        ("ticket.issued", None, "kiosk-7"),
        ("ticket.called", clerk.user_id, None),
        ("ticket.started", clerk.user_id, None),
        ("ticket.finished", clerk.user_id, None),
        ("rating.given", None, "display-1"),
        ("window.paused", lead.user_id, None),
    ]
