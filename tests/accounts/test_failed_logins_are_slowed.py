"""Password guessing is slowed per account and address: the fifth failure in a row locks
that account for that address for 30 s, every further failure doubles the pause (429 with
Retry-After); another address is not locked; a success clears the count."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from queue_server.api.deps import Services
from queue_server.domain.access import Role
from queue_server.domain.clock import ManualClock
from queue_server.services.errors import Throttled, Unauthenticated
from tests.support.auth import PASSWORD, staff_login
from tests.support.live_server import LiveServer


def test_the_fifth_failure_locks_and_the_pause_grows(
    server: LiveServer, services: Services, clock: ManualClock
) -> None:
    clerk = staff_login(services, Role.CLERK)
    url = f"{server.url}/api/v1/auth/login"
    wrong = {"staff_no": clerk.staff_no, "password": "not it"}
    for _ in range(5):
        assert httpx.post(url, json=wrong).status_code == 401
    locked = httpx.post(url, json={"staff_no": clerk.staff_no, "password": PASSWORD})
    assert locked.status_code == 429, "even the right password waits out the pause"
    assert locked.headers["Retry-After"] == "30"
    assert locked.json()["error"] == "too_many_attempts"

    clock.advance(timedelta(seconds=31))
    assert httpx.post(url, json=wrong).status_code == 401  # the sixth failure
    again = httpx.post(url, json=wrong)
    assert again.status_code == 429
    assert again.headers["Retry-After"] == "60"


def test_the_lock_is_per_address_and_a_success_clears_it(
    services: Services, clock: ManualClock
) -> None:
    clerk = staff_login(services, Role.CLERK)
    for _ in range(5):
        with pytest.raises(Unauthenticated):
            services.accounts.login(clerk.staff_no, "not it", "10.0.0.5")
    with pytest.raises(Throttled):
        services.accounts.login(clerk.staff_no, PASSWORD, "10.0.0.5")
    assert services.accounts.login(clerk.staff_no, PASSWORD, "10.0.0.6").token

    clock.advance(timedelta(seconds=30))
    assert services.accounts.login(clerk.staff_no, PASSWORD, "10.0.0.5").token
    with pytest.raises(Unauthenticated):
        services.accounts.login(clerk.staff_no, "not it", "10.0.0.5")  # counted from zero


def test_an_unknown_staff_number_reads_like_a_wrong_password(server: LiveServer) -> None:
    response = httpx.post(
        f"{server.url}/api/v1/auth/login", json={"staff_no": "nobody", "password": "whatever"}
    )
    assert response.status_code == 401
    assert response.json()["message"] == (
        "wrong staff number or password, or the account is disabled"
    )
