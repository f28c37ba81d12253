"""A database nobody answers at is reported as unreachable, with the driver's reason."""

from __future__ import annotations

from queue_server.services.database import Database
from queue_server.services.readiness import check_readiness
from queue_server.storage.engine import make_engine
from tests.support.live_server import free_port


def test_unreachable() -> None:
    port = free_port()  # nothing listens there
    db = Database(make_engine(f"postgresql://hallq@127.0.0.1:{port}/hallq"))
    readiness = check_readiness(db)
    db.engine.dispose()
    assert not readiness.ready
    assert readiness.reason.startswith("the database cannot be reached")
    assert str(port) in readiness.reason or "refused" in readiness.reason
