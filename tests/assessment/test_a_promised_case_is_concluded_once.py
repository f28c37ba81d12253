"""办结 of a promised case: by the clerk of its window (or the duty lead, or supervision), once,
on a day between the finish and today; the event carries only the day."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from queue_server.api.deps import Services
from queue_server.domain.access import Role
from queue_server.domain.clock import ManualClock
from queue_server.storage.tables import Event
from tests.support.auth import clerk_at, staff_login
from tests.support.factories import local
from tests.support.live_server import LiveServer


def _finished(http: httpx.Client, case_type: str, deadline: str | None) -> str:
    ticket = http.post("/tickets", json={"service": "SOC"}).json()
    http.post("/windows/1/call-next")
    http.post(f"/windows/1/tickets/{ticket['id']}/start")
    body = {"case_type": case_type, **({"deadline": deadline} if deadline else {})}
    done = http.post(f"/windows/1/tickets/{ticket['id']}/finish", json=body)
    assert done.status_code == 200, done.text
    return str(ticket["id"])


def test_the_clerk_concludes_a_promised_case_once(
    server: LiveServer, services: Services, clock: ManualClock
) -> None:
    lead = staff_login(services, Role.DUTY_LEAD)
    base = f"{server.url}/api/v1/halls/test"
    with httpx.Client(base_url=base, headers=lead.headers, timeout=30) as http:
        promised = _finished(http, "promised", "2026-11-26")
        immediate = _finished(http, "immediate", None)
    clock.set(local(2026, 11, 30, 10, 0))  # Monday: 26 Thu, 27 Fri, 30 Mon
    here, there = clerk_at(services, 1), clerk_at(services, 2)
    url = f"{base}/windows/1/tickets/{promised}/conclude"
    assert httpx.post(url, json={}, headers=there.headers).status_code == 403
    future = httpx.post(url, json={"concluded_on": "2026-12-01"}, headers=here.headers)
    assert future.status_code == 422 and future.json()["error"] == "invalid_day"
    done = httpx.post(url, json={"concluded_on": "2026-11-30"}, headers=here.headers)
    assert done.status_code == 200, done.text
    assert done.json()["overdue_working_days"] == 2
    twice = httpx.post(url, json={}, headers=here.headers)
    assert twice.status_code == 409
    not_promised = httpx.post(
        f"{base}/windows/1/tickets/{immediate}/conclude", json={}, headers=here.headers
    )
    assert not_promised.json()["error"] == "not_a_promised_case"
    with services.db.read() as session:
        events = list(session.scalars(select(Event).where(Event.kind == "case.concluded")))
    assert [(e.ticket_id, e.window_no, e.payload, e.clerk_id) for e in events] == [
        (promised, 1, {"concluded_on": "2026-11-30"}, here.user_id)
    ]
