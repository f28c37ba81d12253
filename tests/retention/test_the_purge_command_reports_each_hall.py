"""`hallq retention purge` (the nightly timer's command) purges every configured hall with
that hall's days and says how many rows it cleared; the purge is in the event log."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from queue_server.storage.tables import Event
from tests.retention.visits import bad_visit, find
from tests.support.factories import SMALL_HALL

PERSON = ("孙七", "13600000007", "320102197001010077")


def test_command(sqlite_url: str, services: Services, clock: ManualClock, tmp_path: Path) -> None:
    bad_visit(services, *PERSON)  # 25 November 2026: long before the wall clock's today
    assert clock.now() < datetime.now(UTC)
    hall = tmp_path / "hall.toml"
    hall.write_text(SMALL_HALL.format(hall_id="test", guard=20, ratio="", cap=""))
    done = subprocess.run(
        [sys.executable, "-m", "hallq", "retention", "purge", "--config", str(hall),
         "--database", sqlite_url],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    if (datetime.now(UTC) - clock.now()).days > 30:
        assert "hall test: personal data cleared in 1 rows" in done.stdout
        assert find(services, list(PERSON)) == []
    else:
        assert "hall test: personal data cleared in 0 rows" in done.stdout
    with services.db.read() as session:
        kinds = session.scalars(select(Event.kind).order_by(Event.seq.desc()).limit(1)).all()
    assert kinds == ["retention.purged"]
