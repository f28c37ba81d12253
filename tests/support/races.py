"""Two workers racing on one hall (tests/concurrency): run each side in its own thread, collect
every answer or error, and check what the race left in the database."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Any

from sqlalchemy import func, select

from queue_server.api.deps import Services
from queue_server.services.event_log import verify_chain
from queue_server.services.views import IssuedTicket
from queue_server.storage.tables import Ticket
from tests.support.threads import joined, thread_stacks

Side = Callable[[list[object]], None]


def side_by_side(*sides: Side, timeout: float = 300) -> list[object]:
    """Runs every side at once, each in its own thread; what they appended, in any order.
    A side still running after `timeout` seconds fails the test with every thread's stack."""
    answers: list[object] = []
    threads = [threading.Thread(target=side, args=(answers,), daemon=True) for side in sides]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout
    for thread in threads:
        if not joined(thread, max(0.0, deadline - time.monotonic())):
            raise AssertionError(
                f"a side of the race still runs after {timeout:.0f} s\n{thread_stacks()}"
            )
    return answers


def attempt(action: Callable[[], object]) -> object:
    """What the action returned, or the error it raised."""
    try:
        return action()
    except Exception as failed:
        return failed


def answer_of(future: Future[Any], seconds: float = 60) -> object:
    """A submitted job's answer, or the error it was answered with. Polled with sleeps: a
    timed `result()` has no bound under faked dates (tests/support/threads.py)."""
    deadline = time.monotonic() + seconds
    while not future.done() and time.monotonic() < deadline:
        time.sleep(0.005)
    return attempt(lambda: future.result(timeout=0))


def assert_every_ticket_issued_once(
    services: Services, answers: Sequence[object], tickets_before: int, *, hall: str = "test"
) -> None:
    """Every answer a ticket, no number twice, no other ticket written, and the chain holds."""
    assert [a for a in answers if not isinstance(a, IssuedTicket)] == []
    numbers = [a.ticket.number for a in answers if isinstance(a, IssuedTicket)]
    assert len(set(numbers)) == len(numbers)
    with services.db.read() as session:
        written = session.scalar(select(func.count()).select_from(Ticket))
        assert written == tickets_before + len(answers)
        assert verify_chain(session, hall, services.db.chain_key)[1] is None
