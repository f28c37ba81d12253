"""`backup` copies the live SQLite database to a dated file; `restore` puts it into an empty
place (a new machine), migrates and verifies every hall's hash chain; the hall then works
on: the next ticket continues the day's numbering. Restoring over a database that is in use
is refused unless forced."""

from __future__ import annotations

from pathlib import Path

import pytest

from queue_server.api.deps import Services
from queue_server.deploy.backup import BackupError, backup, restore
from queue_server.domain.clock import ManualClock
from queue_server.services.tickets import IssueRequest
from tests.deploy.hall_day import a_busy_morning, counts
from tests.support.factories import make_services, small_hall


def test_round_trip(
    sqlite_url: str, services: Services, clock: ManualClock, tmp_path: Path
) -> None:
    a_busy_morning(services)
    before = counts(services)
    saved = backup(sqlite_url, tmp_path / "backups", keep=3, now=clock.now())
    assert saved.name == "hallq-20261125T020000Z.sqlite3"

    fresh = tmp_path / "new-machine" / "var" / "hallq.sqlite3"
    result = restore(saved, f"sqlite:///{fresh}")
    assert result.intact and [c.hall for c in result.chains] == ["test"]
    assert result.chains[0].events == before[1]

    back = make_services(f"sqlite:///{fresh}", small_hall(), clock=clock)
    try:
        assert counts(back) == before
        issued = back.queue.issue("test", IssueRequest("SOC"))
        assert issued.ticket.number == "A003"
    finally:
        back.db.engine.dispose()

    with pytest.raises(BackupError, match="already holds a hallq database"):
        restore(saved, f"sqlite:///{fresh}")
    assert restore(saved, f"sqlite:///{fresh}", force=True).intact
