"""The token cache never hides a revocation made by this process, nor an expiry.

A token is looked up once and kept for 2 s (services/principals.py); a logout through this
process empties the cache at once, and a cached session past its expiry is refused."""

from __future__ import annotations

from datetime import timedelta

import pytest

from queue_server.api.deps import Services
from queue_server.domain.access import Role, Staff
from queue_server.domain.clock import ManualClock
from queue_server.services.errors import Unauthenticated
from queue_server.services.principals import authenticate


def who(services: Services, token: str) -> object:
    with services.db.read() as session:
        return authenticate(session, services.clock, token)


def clerk_token(services: Services) -> str:
    user = services.accounts.create_user("test", "c-1", "secret-pass", Role.CLERK, None)
    return services.accounts.open_session(user.id).token


def test_a_logout_counts_on_the_next_lookup(services: Services) -> None:
    token = clerk_token(services)
    assert isinstance(who(services, token), Staff)  # now cached
    services.accounts.logout(token)
    with pytest.raises(Unauthenticated, match="revoked"):
        who(services, token)


def test_an_expired_session_is_refused_though_cached(
    services: Services, clock: ManualClock
) -> None:
    token = clerk_token(services)
    assert isinstance(who(services, token), Staff)  # now cached
    clock.set(clock.now() + services.accounts.session_length + timedelta(seconds=1))
    with pytest.raises(Unauthenticated, match="expired"):
        who(services, token)
