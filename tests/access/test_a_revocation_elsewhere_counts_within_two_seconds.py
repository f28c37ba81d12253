"""Another process's revocation reaches this one within the token cache's 2 s.

The revocation is written with the sqlite3 module, outside every SQLAlchemy engine of this
process, as another worker or the CLI would from its own process (docs/access.md)."""

from __future__ import annotations

import sqlite3
import time

from queue_server.api.deps import Services
from queue_server.domain.access import Role, Staff
from queue_server.services.errors import Unauthenticated
from queue_server.services.principals import CACHE_SECONDS, authenticate
from queue_server.services.tokens import token_digest


def who(services: Services, token: str) -> object:
    with services.db.read() as session:
        return authenticate(session, services.clock, token)


def test_a_revocation_by_another_process_is_heard_within_the_cache_time(
    services: Services,
) -> None:
    user = services.accounts.create_user("test", "c-1", "secret-pass", Role.CLERK, None)
    token = services.accounts.open_session(user.id).token
    assert isinstance(who(services, token), Staff)  # now cached
    database = services.db.engine.url.database
    assert database is not None
    with sqlite3.connect(database) as other:
        other.execute(
            "UPDATE staff_sessions SET revoked_at = created_at WHERE token_hash = ?",
            (token_digest(token),),
        )
    revoked_at = time.monotonic()
    while True:
        try:
            who(services, token)
        except Unauthenticated as refused:
            assert "revoked" in str(refused)
            break
        assert time.monotonic() - revoked_at < CACHE_SECONDS + 0.5, "still accepted"
        time.sleep(0.05)
