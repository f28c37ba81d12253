"""One writer per hall for the API's hot writes (taking a number, calling, the moves at a
window), committing what arrived together in one transaction.

Without it every request is its own transaction, and concurrent ones queue for the hall's
write lock (SQLite) or chain head (PostgreSQL) in as many threads, each paying its own BEGIN
and COMMIT (on PostgreSQL a flush of the write-ahead log, with the chain head held) and handing
the lock and the interpreter over to the next: the rate fell as kiosks and windows were added
(issue 22). Here requests wait in a queue; the hall's writer thread takes all that are waiting
(up to `max_batch`) and runs them in one transaction (`Database.run_together`: a refused
request is answered with its error and the others run again without it), and a burst costs one
commit.

A request is answered only after its batch has committed: an acknowledged ticket is on disk.
The thread ends after `idle_seconds` without work and starts again with the next request.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import threading
from collections import deque
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, TypeVar

from queue_server.services.database import Database, Job, Work
from queue_server.services.hall_lock import hold_hall
from queue_server.services.halls import HallRegistry

T = TypeVar("T")


@dataclass(frozen=True)
class _OnLoop:
    """The answer to a coroutine awaiting `future` on `loop`. The writer hands a batch's
    answers to each loop in one callback: a thread-safe `Future` per request built a lock and
    a condition, and woke the loop once a request (issue 22)."""

    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[Any]


# Where a job's result goes: a `Future` for a thread (`submit`), `_OnLoop` for a coroutine.
_Answer = Future[Any] | _OnLoop


def _give(answer: Future[Any] | asyncio.Future[Any], result: Any) -> None:
    """The result (or the error) to its request, unless the request was cancelled meanwhile:
    its job ran all the same (a kiosk asks again with the same key and is given the same
    ticket)."""
    if answer.cancelled():
        return
    if isinstance(result, BaseException):
        answer.set_exception(result)
    else:
        answer.set_result(result)


def _settle(answers: list[tuple[asyncio.Future[Any], Any]]) -> None:
    """On the loop's thread: each answer to its future."""
    for future, result in answers:
        _give(future, result)


@dataclass
class _Hall:
    id: str
    waiting: deque[tuple[Job[Any], _Answer]] = field(default_factory=deque)
    running: bool = False


def _hold_hall(hall_id: str, work: Work) -> None:
    """The hall's first locks, before any job of the batch takes one (hall_lock.hold_hall): a
    batch holds the chain head from its first job's append to its COMMIT, so a job's own
    lock taken after that must never be one another transaction holds while it waits for
    the head. A two-worker run of crossing batches lost half its requests to deadlocks."""
    hold_hall(work.session, hall_id)


class HallWriter:
    def __init__(
        self,
        db: Database,
        halls: HallRegistry,
        *,
        max_batch: int = 64,
        idle_seconds: float = 5.0,
    ) -> None:
        self._db = db
        self._known = halls
        self._max_batch = max_batch
        self._idle_seconds = idle_seconds
        self._halls: dict[str, _Hall] = {}
        self._lock = threading.Lock()
        self._work = threading.Condition(self._lock)

    def submit(self, hall_id: str, job: Job[T]) -> Future[T]:
        """The job's result, or the exception it raised, once its batch has committed."""
        answer: Future[T] = Future()
        self._enqueue(hall_id, job, answer)
        return answer

    async def run(self, hall_id: str, job: Job[T]) -> T:
        """`submit`, awaited from the event loop (the API's routes)."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._enqueue(hall_id, job, _OnLoop(loop, future))
        return await future

    def _enqueue(self, hall_id: str, job: Job[Any], answer: _Answer) -> None:
        self._known.get(hall_id)  # NotFound now: no queue or thread for a made-up hall
        with self._lock:
            hall = self._halls.setdefault(hall_id, _Hall(hall_id))
            hall.waiting.append((job, answer))
            if hall.running:
                self._work.notify_all()
            else:
                hall.running = True
                threading.Thread(
                    target=self._run, args=(hall,), name=f"writer-{hall_id}", daemon=True
                ).start()

    def _run(self, hall: _Hall) -> None:
        while True:
            with self._lock:
                if not hall.waiting:
                    self._work.wait_for(lambda: bool(hall.waiting), timeout=self._idle_seconds)
                if not hall.waiting:
                    # Decided under the lock: a request submitted after this sees the thread
                    # gone and starts a new one; none is left in a queue nobody drains.
                    hall.running = False
                    return
                count = min(len(hall.waiting), self._max_batch)
                batch = [hall.waiting.popleft() for _ in range(count)]
            try:
                self._write(hall.id, batch)
            except BaseException:
                with self._lock:
                    hall.running = False
                raise

    def _write(self, hall_id: str, batch: list[tuple[Job[Any], _Answer]]) -> None:
        try:
            results = self._db.run_together(
                [job for job, _ in batch], first=functools.partial(_hold_hall, hall_id)
            )
        except BaseException as failed:  # the thread must live on and answer everyone
            error = failed if isinstance(failed, Exception) else RuntimeError(repr(failed))
            results = [error] * len(batch)
        on_loops: dict[asyncio.AbstractEventLoop, list[tuple[asyncio.Future[Any], Any]]] = {}
        for (_, answer), result in zip(batch, results, strict=True):
            if isinstance(answer, _OnLoop):
                on_loops.setdefault(answer.loop, []).append((answer.future, result))
            else:
                _give(answer, result)
        for loop, answers in on_loops.items():
            # A loop that has closed (shutdown) raises: nobody awaits these any more.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(_settle, answers)
