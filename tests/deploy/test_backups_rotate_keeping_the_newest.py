"""Each backup is dated; only the `keep` newest stay in the folder (other files are left)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from queue_server.api.deps import Services
from queue_server.deploy.backup import backup
from queue_server.domain.clock import ManualClock


def test_rotation(sqlite_url: str, services: Services, clock: ManualClock, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    (folder / "notes.txt").write_text("not a backup")
    made = []
    for _ in range(5):
        made.append(backup(sqlite_url, folder, keep=3, now=clock.now()).name)
        clock.advance(timedelta(days=1))
    assert sorted(p.name for p in folder.iterdir()) == sorted([*made[-3:], "notes.txt"])
