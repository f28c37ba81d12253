"""Holding a hall's chain head from another transaction, to line concurrent writers up, and
seeing on PostgreSQL that someone waits for a lock."""

from __future__ import annotations

import threading

from sqlalchemy import select, text

from queue_server.api.deps import Services
from queue_server.storage.tables import Hall


def hold_the_chain_head(
    services: Services,
    taken: threading.Event,
    release: threading.Event,
    hall: str = "test",
    backend: list[int] | None = None,
) -> None:
    """Run in a thread: every write of `hall` that reaches its event waits until `release`.
    On PostgreSQL, `backend` receives the holding connection's process id."""
    with services.db.write() as work:
        work.session.execute(select(Hall.id).where(Hall.id == hall).with_for_update())
        if backend is not None:
            backend.append(int(work.session.execute(text("SELECT pg_backend_pid()")).scalar_one()))
        taken.set()
        release.wait(30)


_WAITING_FOR_A_LOCK = text(
    "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
)


def lock_waiter(services: Services) -> int:
    """The PostgreSQL backend that waits for a lock, polled until there is one (the test holds
    the lock, so the wait never ends by itself); fails after about 20 s."""
    with services.db.engine.connect() as probe:
        for _ in range(2000):
            pid = probe.execute(_WAITING_FOR_A_LOCK).scalar()
            if pid is not None:
                return int(pid)
            probe.execute(text("SELECT pg_sleep(0.01)"))
            probe.commit()
    raise AssertionError("nobody waited for a lock")
