"""Security review, finding 8 (low, docs/reliability.md): logins were limited per staff number and
address only, so one password tried across many staff numbers was never slowed. Failures from one
address are now also counted over every staff number."""

from __future__ import annotations

from datetime import timedelta

import httpx

from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from queue_server.services.accounts import ADDRESS_THROTTLE
from tests.support.live_server import LiveServer


def test_one_password_across_many_accounts_is_slowed(
    server: LiveServer, services: Services, clock: ManualClock
) -> None:
    url = f"{server.url}/api/v1/auth/login"
    tries = [
        httpx.post(url, json={"staff_no": f"S{n:04d}", "password": "12345678"}).status_code
        for n in range(ADDRESS_THROTTLE.free + 1)
    ]
    assert tries == [401] * ADDRESS_THROTTLE.free + [429]
    another = httpx.post(url, json={"staff_no": "S9999", "password": "guess"})
    assert another.status_code == 429
    assert "from this address" in another.json()["message"]
    assert int(another.headers["Retry-After"]) > 0
    clock.advance(ADDRESS_THROTTLE.first_pause + timedelta(seconds=1))
    assert httpx.post(url, json={"staff_no": "S9999", "password": "guess"}).status_code == 401
