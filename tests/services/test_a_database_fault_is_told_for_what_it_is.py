"""A write the database refuses is answered 503 with what happened: another process holding the
SQLite file, a PostgreSQL deadlock (two writes waiting for each other: it used to read as
"locked by another process", because PostgreSQL's report says "blocked by process"), or the
database out of reach."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError

from queue_server.api.deps import Services
from queue_server.services.errors import Unavailable

DEADLOCK = (
    "deadlock detected\nDETAIL:  Process 71 waits for ShareLock on transaction 912; "
    "blocked by process 72.\nProcess 72 waits for ExclusiveLock on tuple (0,3) of relation "
    "16412; blocked by process 71."
)


@pytest.mark.parametrize(
    ("driver_says", "told"),
    [
        ("database is locked", "the database is busy (locked by another process)"),
        (DEADLOCK, "two writes waited for each other and this one was stopped"),
        ("connection refused", "the database cannot be reached right now"),
    ],
)
def test_a_refused_write_says_why(services: Services, driver_says: str, told: str) -> None:
    with pytest.raises(Unavailable) as refused, services.db.write():
        raise OperationalError("COMMIT", {}, Exception(driver_says))
    assert str(refused.value).startswith(told)
    assert str(refused.value).endswith("retry in a moment")
