"""Two worker processes given the same Idempotency-Key at the same instant (a kiosk's retry
reaching another worker while the first is still writing) issue one ticket, and both answer
with it: the second waits for the first's COMMIT and replays it, with no error."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select, text

from queue_server.api.deps import Services
from queue_server.services.tickets import IssueRequest
from queue_server.storage.tables import Ticket
from tests.support.locks import hold_the_chain_head

_BLOCKED_BY = text("SELECT pid FROM pg_stat_activity WHERE :blocker = ANY(pg_blocking_pids(pid))")


def blocked_by(services: Services, blocker: int) -> int:
    """The process id of the connection waiting for `blocker`'s locks (once there is one)."""
    deadline = time.monotonic() + 10
    while True:
        with services.db.engine.connect() as conn:
            waiting = conn.execute(_BLOCKED_BY, {"blocker": blocker}).scalars().first()
        if waiting is not None:
            return int(waiting)
        assert time.monotonic() < deadline, "the writers never lined up"
        time.sleep(0.02)


def test_the_second_worker_replays_the_first_ones_ticket(
    two_workers: tuple[Services, Services],
) -> None:
    first, second = two_workers
    first.queue.issue("test", IssueRequest("TAX"))  # the hall's day is set up before the race
    request = IssueRequest("TAX", idempotency_key="kiosk-1-0042")
    taken, release, holding = threading.Event(), threading.Event(), list[int]()
    holder = threading.Thread(
        target=hold_the_chain_head, args=(first, taken, release, "test", holding)
    )
    holder.start()
    assert taken.wait(10)
    with ThreadPoolExecutor(2) as pool:
        a = pool.submit(first.queue.issue, "test", request)
        writing = blocked_by(first, holding[0])  # the first has claimed the key, waits
        b = pool.submit(second.queue.issue, "test", request)
        blocked_by(first, writing)  # the second waits for the first's key
        release.set()
        answers = [a.result(timeout=30), b.result(timeout=30)]
    holder.join(30)
    assert answers[0].ticket.id == answers[1].ticket.id
    assert [x.replayed for x in answers] == [False, True]
    with first.db.read() as session:
        assert session.scalar(select(func.count()).select_from(Ticket)) == 2
