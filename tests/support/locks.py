"""Holding a hall's chain head from another transaction, to line concurrent writers up, and
seeing on PostgreSQL that someone waits for a lock."""

from __future__ import annotations

import threading

from sqlalchemy import select, text
from sqlalchemy.orm import Session

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
            backend.append(backend_pid(work.session))
        taken.set()
        release.wait(30)


# Only a wait on the test's own holder: the tests running beside it share the PostgreSQL
# server, and a backend of theirs waiting for a lock of their own was once taken for this
# one's (the assertions then looked at the wrong backend).
_WAITING_FOR = text(
    "SELECT pid FROM pg_stat_activity WHERE CAST(:holder AS integer) = ANY(pg_blocking_pids(pid))"
)


def backend_pid(session: Session) -> int:
    """The PostgreSQL backend of the session's transaction."""
    return int(session.execute(text("SELECT pg_backend_pid()")).scalar_one())


def lock_waiter(services: Services, holder: int) -> int:
    """The PostgreSQL backend that waits for a lock the backend `holder` holds, polled until
    there is one (the test holds the lock, so the wait never ends by itself); fails after
    about 20 s."""
    with services.db.engine.connect() as probe:
        for _ in range(2000):
            pid = probe.execute(_WAITING_FOR, {"holder": holder}).scalar()
            if pid is not None:
                return int(pid)
            probe.execute(text("SELECT pg_sleep(0.01)"))
            probe.commit()
    raise AssertionError("nobody waited for a lock")
