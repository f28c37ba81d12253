"""On SQLite every connection of the server commits with synchronous=FULL: the WAL is synced
before a number is given out. With NORMAL, WAL keeps the file sound but a power cut takes
back the last commits, and numbers already printed on receipts would be issued again."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from queue_server.storage.engine import make_engine, read_only

FULL = 2  # PRAGMA synchronous: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA


def test_every_connection_syncs_its_commits(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'hall.sqlite3'}")
    try:
        # Two connections at once (a writer's and a reader's): each is set up when the pool
        # opens it.
        with engine.connect() as writer, read_only(engine).connect() as reader:
            assert writer.execute(text("PRAGMA synchronous")).scalar_one() == FULL
            assert writer.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
            assert reader.execute(text("PRAGMA synchronous")).scalar_one() == FULL
    finally:
        engine.dispose()
