"""A login's token works until it expires (12 hours by default), then is refused with 401."""

from __future__ import annotations

from datetime import timedelta

import httpx

from queue_server.api.deps import Services
from queue_server.domain.access import Role
from queue_server.domain.clock import ManualClock
from tests.support.auth import PASSWORD, bearer, staff_login
from tests.support.live_server import LiveServer


def test_a_token_works_until_it_expires(
    server: LiveServer, services: Services, clock: ManualClock
) -> None:
    lead = staff_login(services, Role.DUTY_LEAD)
    login = httpx.post(
        f"{server.url}/api/v1/auth/login", json={"staff_no": lead.staff_no, "password": PASSWORD}
    )
    assert login.status_code == 200, login.text
    body = login.json()
    assert body["token_type"] == "bearer"
    assert body["user"] == {"hall": "test", "staff_no": lead.staff_no, "name": lead.name,
                            "role": "duty_lead"}  # fmt: skip
    me = f"{server.url}/api/v1/auth/me"
    headers = bearer(body["token"])
    assert httpx.get(me, headers=headers).json()["role"] == "duty_lead"

    clock.advance(timedelta(hours=11, minutes=59))
    assert httpx.get(me, headers=headers).status_code == 200
    clock.advance(timedelta(minutes=1))
    expired = httpx.get(me, headers=headers)
    assert expired.status_code == 401
    assert expired.json()["error"] == "unauthorized"
    assert "expired" in expired.json()["message"]
