"""Logging out revokes that token at once, and only that one; disabling an account or
resetting its password revokes all of its tokens."""

from __future__ import annotations

import httpx

from queue_server.api.deps import Services
from queue_server.domain.access import Role
from tests.support.auth import bearer, staff_login
from tests.support.live_server import LiveServer


def test_logout_revokes_only_that_token(server: LiveServer, services: Services) -> None:
    lead = staff_login(services, Role.DUTY_LEAD)
    second = services.accounts.open_session(lead.user_id).token
    me = f"{server.url}/api/v1/auth/me"
    assert httpx.post(f"{server.url}/api/v1/auth/logout", headers=lead.headers).status_code == 204
    refused = httpx.get(me, headers=lead.headers)
    assert refused.status_code == 401
    assert "revoked" in refused.json()["message"]
    assert httpx.get(me, headers=bearer(second)).status_code == 200


def test_disabling_and_resetting_revoke_every_token(server: LiveServer, services: Services) -> None:
    me = f"{server.url}/api/v1/auth/me"
    clerk = staff_login(services, Role.CLERK)
    services.accounts.reset_password(clerk.staff_no, "a new password")
    assert httpx.get(me, headers=clerk.headers).status_code == 401
    fresh = services.accounts.login(clerk.staff_no, "a new password", "127.0.0.1").token
    services.accounts.disable_user(clerk.staff_no)
    assert httpx.get(me, headers=bearer(fresh)).status_code == 401
    login = httpx.post(
        f"{server.url}/api/v1/auth/login",
        json={"staff_no": clerk.staff_no, "password": "a new password"},
    )
    assert login.status_code == 401
