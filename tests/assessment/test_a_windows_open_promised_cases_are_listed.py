"""The window's open promised cases (承诺件 finished there, not yet concluded): what the clerk
console lists for 办结, nearest deadline first, with the working days left or overdue by the
hall calendar; a concluded case, another case type or another window's case is not listed."""

from __future__ import annotations

import httpx

from queue_server.api.deps import Services
from queue_server.domain.access import Role
from queue_server.domain.clock import ManualClock
from tests.assessment.test_a_promised_case_is_concluded_once import _finished
from tests.support.auth import clerk_at, staff_login
from tests.support.factories import local
from tests.support.live_server import LiveServer


def test_the_open_promised_cases_of_a_window(
    server: LiveServer, services: Services, clock: ManualClock
) -> None:
    lead = staff_login(services, Role.DUTY_LEAD)
    base = f"{server.url}/api/v1/halls/test"
    with httpx.Client(base_url=base, headers=lead.headers, timeout=30) as http:
        later = _finished(http, "promised", "2026-12-03")  # A001
        overdue = _finished(http, "promised", "2026-11-26")  # A002
        _finished(http, "immediate", None)  # A003
        concluded = _finished(http, "promised", "2026-11-27")  # A004
        assert http.post(f"/windows/1/tickets/{concluded}/conclude", json={}).status_code == 200
    clock.set(local(2026, 11, 30, 10, 0))  # Monday: 26 Thu, 27 Fri, 30 Mon
    here, there = clerk_at(services, 1), clerk_at(services, 2)
    url = f"{base}/windows/1/promised-cases"

    listed = httpx.get(url, headers=here.headers)
    assert listed.status_code == 200, listed.text
    assert listed.json() == [
        {"ticket_id": overdue, "number": "A002", "service": "SOC", "finished_on": "2026-11-25",
         "deadline": "2026-11-26", "working_days_left": -2, "overdue": True},
        {"ticket_id": later, "number": "A001", "service": "SOC", "finished_on": "2026-11-25",
         "deadline": "2026-12-03", "working_days_left": 3, "overdue": False},
    ]  # fmt: skip

    assert httpx.get(f"{base}/windows/2/promised-cases", headers=there.headers).json() == []
    refused = httpx.get(url, headers=there.headers)
    assert refused.status_code == 403 and refused.json()["error"] == "not_your_window"
    supervisor = staff_login(services, Role.SUPERVISOR)
    assert len(httpx.get(url, headers=supervisor.headers).json()) == 2
    assert httpx.get(url).status_code == 401

    done = httpx.post(f"{base}/windows/1/tickets/{overdue}/conclude", json={},
                      headers=here.headers)  # fmt: skip
    assert done.json()["overdue_working_days"] == 2, "as the list said"
    assert [c["number"] for c in httpx.get(url, headers=here.headers).json()] == ["A001"]


def test_due_today_is_not_overdue(
    server: LiveServer, services: Services, clock: ManualClock
) -> None:
    lead = staff_login(services, Role.DUTY_LEAD)
    base = f"{server.url}/api/v1/halls/test"
    with httpx.Client(base_url=base, headers=lead.headers, timeout=30) as http:
        _finished(http, "promised", "2026-11-27")
    clock.set(local(2026, 11, 27, 17, 0))
    here = clerk_at(services, 1)
    [case] = httpx.get(f"{base}/windows/1/promised-cases", headers=here.headers).json()
    assert (case["working_days_left"], case["overdue"]) == (0, False)
