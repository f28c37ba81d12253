"""One writer per hall for tickets taken over the API, committing what arrived together at once.

Without it every request is its own transaction, and concurrent ones queue for the hall's
write lock (SQLite) or chain head (PostgreSQL) in as many threads, each paying its own BEGIN
and COMMIT (on PostgreSQL a flush of the write-ahead log) and handing the lock and the
interpreter over to the next: the rate fell as kiosks were added (issue 22). Here requests
wait in a queue; the hall's writer thread takes all that are waiting (up to `max_batch`) and
issues them in one transaction (`QueueService.issue_many`), so a burst costs one commit.

A request is answered only after its batch has committed, so an acknowledged ticket is on disk
and no answer depends on which batch it fell in (`issue_many` falls back to one transaction
per request when a batch cannot finish). The thread ends after `idle_seconds` without work and
starts again with the next request.
"""

from __future__ import annotations

import threading
from collections import deque
from concurrent.futures import Future
from dataclasses import dataclass, field

from queue_server.services.event_log import Actor
from queue_server.services.issuing import IssueRequest
from queue_server.services.tickets import QueueService
from queue_server.services.views import IssuedTicket


@dataclass
class _Hall:
    waiting: deque[tuple[IssueRequest, Actor, Future[IssuedTicket]]] = field(default_factory=deque)
    running: bool = False


class IssueWriter:
    def __init__(
        self, queue: QueueService, *, max_batch: int = 64, idle_seconds: float = 5.0
    ) -> None:
        self._queue = queue
        self._max_batch = max_batch
        self._idle_seconds = idle_seconds
        self._halls: dict[str, _Hall] = {}
        self._lock = threading.Lock()
        self._work = threading.Condition(self._lock)

    def submit(self, hall_id: str, request: IssueRequest, actor: Actor) -> Future[IssuedTicket]:
        """The ticket, or the error `QueueService.issue` would raise, once committed."""
        self._queue.halls.get(hall_id)  # NotFound now: no queue or thread for a made-up hall
        answer: Future[IssuedTicket] = Future()
        with self._lock:
            hall = self._halls.setdefault(hall_id, _Hall())
            hall.waiting.append((request, actor, answer))
            if hall.running:
                self._work.notify_all()
            else:
                hall.running = True
                threading.Thread(
                    target=self._run, args=(hall_id, hall), name=f"issue-{hall_id}", daemon=True
                ).start()
        return answer

    def _run(self, hall_id: str, hall: _Hall) -> None:
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
            self._issue(hall_id, batch)

    def _issue(
        self, hall_id: str, batch: list[tuple[IssueRequest, Actor, Future[IssuedTicket]]]
    ) -> None:
        try:
            results = self._queue.issue_many(
                hall_id, [(request, actor) for request, actor, _ in batch]
            )
        except BaseException as failed:  # the thread must live on and answer everyone
            results = [failed if isinstance(failed, Exception) else RuntimeError(failed)] * len(
                batch
            )
        for (_, _, answer), result in zip(batch, results, strict=True):
            if isinstance(result, Exception):
                answer.set_exception(result)
            else:
                answer.set_result(result)
