"""Signing in to a window records attendance in the event log, puts the clerk's name and
staff number on the snapshot (the window display shows them), and keeps one clerk per
window; signing out is refused while a visitor is at the window and records an early leave."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import select

from queue_server.api.deps import Services
from queue_server.domain.access import Role
from queue_server.domain.clock import ManualClock
from queue_server.services.tickets import IssueRequest
from queue_server.storage.tables import Event
from tests.support.auth import staff_login
from tests.support.factories import local
from tests.support.live_server import LiveServer


def events(services: Services, kind: str) -> list[Event]:
    with services.db.read() as session:
        return list(session.scalars(select(Event).where(Event.kind == kind)))


def test_sign_in_late_then_leave_early(
    server: LiveServer, services: Services, clock: ManualClock
) -> None:
    clerk = staff_login(services, Role.CLERK, staff_no="1007", name="李强")
    other = staff_login(services, Role.CLERK)
    api = httpx.Client(base_url=f"{server.url}/api/v1/halls/test/windows")
    clock.set(local(2026, 11, 25, 9, 12))
    signed = api.post("/1/sign-in", headers=clerk.headers).json()
    assert (signed["attendance"], signed["minutes_late"]) == ("late", 12)
    assert api.post("/1/sign-in", headers=clerk.headers).status_code == 200, "idempotent"

    taken = api.post("/1/sign-in", headers=other.headers)
    assert taken.status_code == 409
    assert taken.json()["message"].startswith("window 1 is staffed by 李强 (工号 1007)")
    elsewhere = api.post("/2/sign-in", headers=clerk.headers)
    assert elsewhere.json()["error"] == "signed_in_elsewhere"

    snapshot = httpx.get(f"{server.url}/api/v1/halls/test/snapshot").json()
    assert snapshot["windows"][0]["clerk"] == {"name": "李强", "staff_no": "1007"}
    assert snapshot["windows"][1]["clerk"] is None

    services.queue.issue("test", IssueRequest("SOC"))
    api.post("/1/call-next", headers=clerk.headers)
    busy = api.post("/1/sign-out", headers=clerk.headers)
    assert busy.status_code == 409
    assert "before signing out" in busy.json()["message"]
    current = httpx.get(f"{server.url}/api/v1/halls/test/snapshot").json()["windows"][0]
    api.post(f"/1/tickets/{current['current']['id']}/no-show", headers=clerk.headers)

    clock.set(local(2026, 11, 25, 17, 30))
    out = api.post("/1/sign-out", headers=clerk.headers).json()
    assert (out["sign_out_attendance"], out["minutes_early"]) == ("early_leave", 30)

    [signed_in] = events(services, "clerk.signed_in")
    assert signed_in.window_no == 1 and signed_in.clerk_id == clerk.user_id
    assert signed_in.payload == {
        "name": "李强", "staff_no": "1007", "attendance": "late", "minutes_late": 12,
    }  # fmt: skip
    [signed_out] = events(services, "clerk.signed_out")
    assert signed_out.payload["attendance"] == "early_leave"
    assert signed_out.payload["minutes_early"] == 30
    assert signed_out.payload["signed_in_seconds"] == int(
        timedelta(hours=8, minutes=18).total_seconds()
    )
    api.close()
