"""Transactions: the service layer opens them, adapters never do.

A write transaction collects the events it appended; only after COMMIT succeeds are they
announced to the in-process listeners (websocket streams), so nobody hears of a change that
was rolled back.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from queue_server.services.carried_inputs import CarriedInputs
from queue_server.services.errors import Unavailable
from queue_server.storage.engine import read_only

CommitListener = Callable[[str, int], None]


@dataclass
class Work:
    session: Session
    appended: list[tuple[str, int]] = field(default_factory=list)
    # Keys the event chain (queue_server.domain.event_chain); None: this writer cannot append.
    chain_key: bytes | None = None


T = TypeVar("T")


def _nothing() -> None:
    return None


def _same(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class Job(Generic[T]):
    """One request's writes, to run alone or beside others' in one transaction.

    `before` runs outside any transaction (what may open its own, such as the floor's day),
    `apply` inside one, `after` once it has committed (a read the answer needs)."""

    apply: Callable[[Work], Any]
    before: Callable[[], None] = _nothing
    after: Callable[[Any], T] = _same


class _RunAgain(Exception):
    """A job of a batch failed: roll the batch back and run the others again."""


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
        self._carried = CarriedInputs()
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
    def existing_chain_key(self) -> bytes | None:
        """The chain's key if there is one, never created: for readers that only sign a cache
        (a report run where the key file is missing must not make one)."""
        if self._chain_key is None:
            from queue_server.services.bookings.keys import existing_key
            from queue_server.settings import Settings

            self._chain_key = existing_key(Path(Settings().chain_key_file))
        return self._chain_key

    @property
    def carried(self) -> CarriedInputs:
        """What this process's last write transaction of each hall knew (carried_inputs.py)."""
        return self._carried

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def on_commit(self, listener: CommitListener) -> None:
        self._listeners.append(listener)

    @contextmanager
    def write(self) -> Iterator[Work]:
        try:
            with self._write_gate, self._writer() as session, session.begin():
                self._carried.attach(session)
                work = Work(session, chain_key=self.chain_key)
                yield work
                self._carried.leave(session)  # for the next transaction, if this one commits
        except OperationalError as exc:
            raise Unavailable(_describe(exc)) from exc
        for hall_id, seq in work.appended:
            for listener in self._listeners:
                listener(hall_id, seq)

    def run(self, job: Job[T]) -> T:
        """The job in a transaction of its own."""
        job.before()
        with self.write() as work:
            applied = job.apply(work)
        return job.after(applied)

    def run_together(
        self, jobs: Sequence[Job[Any]], first: Callable[[Work], None] | None = None
    ) -> list[Any]:
        """The jobs in one transaction (group commit: one BEGIN, one COMMIT), each answered
        as if it had run alone: its result, or the exception it raised.

        A job that raises is answered with its error, the transaction is rolled back (with
        whatever that job changed and appended) and the rest run again in a new one: no
        savepoints, which cost every job two statements for a refusal that is rare. A result
        is given only after the COMMIT; if the COMMIT fails, every job of that transaction
        gets its error and nothing of it is written. `first` runs at the start of each
        transaction, before any job (the locks a batch must take before its jobs' own)."""
        results: list[Any] = [None] * len(jobs)
        pending: list[int] = []
        for i, job in enumerate(jobs):
            try:
                job.before()
                pending.append(i)
            except Exception as failed:
                results[i] = failed
        applied: dict[int, Any] = {}
        while pending:
            applied = {}
            failed_at: int | None = None
            try:
                with self.write() as work:
                    if first is not None:
                        first(work)
                    for i in pending:
                        try:
                            applied[i] = jobs[i].apply(work)
                        except OperationalError:
                            # The database, not the request (locked by another process, gone):
                            # every request of the batch gets the 503, at once.
                            raise
                        except Exception as failed:
                            results[i] = failed
                            failed_at = i
                            raise _RunAgain from failed
            except _RunAgain:
                pending.remove(cast(int, failed_at))
                continue
            except Exception as failed:
                if isinstance(failed, OperationalError):
                    failed = Unavailable(_describe(failed))
                for i in pending:
                    results[i] = failed
                return results
            break
        for i, value in applied.items():
            try:
                results[i] = jobs[i].after(value)
            except Exception as failed:
                results[i] = failed
        return results

    @contextmanager
    def read(self) -> Iterator[Session]:
        try:
            with self._reader() as session, session.begin():
                yield session
        except OperationalError as exc:
            raise Unavailable(_describe(exc)) from exc


def _describe(exc: OperationalError) -> str:
    text = str(exc.orig) if exc.orig is not None else str(exc)
    # Before "locked": PostgreSQL's deadlock report says "blocked by process".
    if "deadlock detected" in text:
        return "two writes waited for each other and this one was stopped; retry in a moment"
    if "locked" in text:
        return "the database is busy (locked by another process); retry in a moment"
    return "the database cannot be reached right now; retry in a moment"
