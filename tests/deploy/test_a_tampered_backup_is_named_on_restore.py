"""A backup whose event log was edited restores, but the chain check names the hall and the
first broken event, so nobody takes it for the hall's true history."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from queue_server.api.deps import Services
from queue_server.deploy.backup import backup, restore
from queue_server.domain.clock import ManualClock
from tests.deploy.hall_day import a_busy_morning


def test_tampered(sqlite_url: str, services: Services, clock: ManualClock, tmp_path: Path) -> None:
    a_busy_morning(services)
    saved = backup(sqlite_url, tmp_path, keep=1, now=clock.now())
    with sqlite3.connect(saved) as connection:
        connection.execute("UPDATE events SET window_no = 3 WHERE seq = 5")
    connection.close()
    result = restore(saved, f"sqlite:///{tmp_path / 'restored.sqlite3'}")
    assert not result.intact
    [chain] = result.chains
    assert (chain.hall, chain.broken_at) == ("test", 5)
