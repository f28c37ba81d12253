"""Transactions: the service layer opens them, adapters never do.

A write transaction collects the events it appended; only after COMMIT succeeds are they
announced to the in-process listeners (websocket streams), so nobody hears of a change that
was rolled back.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from queue_server.services.errors import Unavailable
from queue_server.storage.engine import read_only

CommitListener = Callable[[str, int], None]


@dataclass
class Work:
    session: Session
    appended: list[tuple[str, int]] = field(default_factory=list)
    # Keys the event chain (queue_server.domain.event_chain); None: this writer cannot append.
    chain_key: bytes | None = None


class Database:
    def __init__(self, engine: Engine, chain_key: bytes | None = None) -> None:
        self.engine = engine
        self._chain_key = chain_key
        self._writer = sessionmaker(engine, expire_on_commit=False)
        reader = read_only(engine)
        if engine.dialect.name == "postgresql":
            # A snapshot must show the tables exactly as of its last sequence number.
            reader = reader.execution_options(isolation_level="REPEATABLE READ")
        self._reader = sessionmaker(reader, expire_on_commit=False)
        self._listeners: list[CommitListener] = []
        # SQLite admits one writer at a time and makes the others poll the lock with sleeps
        # that grow to 100 ms; under 20 busy threads that polling, not the work, dominated.
        # Queueing this process's writers on a lock hands the database over without polling
        # (busy_timeout still covers other processes such as the CLI).
        self._write_gate: AbstractContextManager[object] = (
            threading.Lock() if engine.dialect.name == "sqlite" else nullcontext()
        )

    @property
    def chain_key(self) -> bytes:
        """The event chain's key: given, or from HALLQ_CHAIN_KEY_FILE (created when missing)."""
        if self._chain_key is None:
            from queue_server.services.bookings.keys import load_or_create_key
            from queue_server.settings import Settings

            self._chain_key = load_or_create_key(Path(Settings().chain_key_file))
        return self._chain_key

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def on_commit(self, listener: CommitListener) -> None:
        self._listeners.append(listener)

    @contextmanager
    def write(self) -> Iterator[Work]:
        try:
            with self._write_gate, self._writer() as session, session.begin():
                work = Work(session, chain_key=self.chain_key)
                yield work
        except OperationalError as exc:
            raise Unavailable(_describe(exc)) from exc
        for hall_id, seq in work.appended:
            for listener in self._listeners:
                listener(hall_id, seq)

    @contextmanager
    def read(self) -> Iterator[Session]:
        try:
            with self._reader() as session, session.begin():
                yield session
        except OperationalError as exc:
            raise Unavailable(_describe(exc)) from exc


def _describe(exc: OperationalError) -> str:
    text = str(exc.orig) if exc.orig is not None else str(exc)
    if "locked" in text:
        return "the database is busy (locked by another process); retry in a moment"
    return "the database cannot be reached right now; retry in a moment"
