"""Holding a hall's chain head from another transaction, to line concurrent writers up."""

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
