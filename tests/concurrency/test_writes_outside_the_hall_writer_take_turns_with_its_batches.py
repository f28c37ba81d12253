"""Writes of a hall that do not go through its hall writer (a number taken at the ID-card
reader or for a booking's arrival, a kiosk's offline block) take turns with the writer's
batches on PostgreSQL instead of deadlocking with them. A batch takes the hall's gate and
chain head first and then its jobs' day counters; an issue outside it used to lock its day
counter first and then wait for the head the batch held, while the batch waited for that
counter, and PostgreSQL ended one of the two after a second."""

from __future__ import annotations

import threading
from concurrent.futures import Future

from sqlalchemy import func, select

from queue_server.api.deps import Services
from queue_server.services.event_log import SYSTEM, verify_chain
from queue_server.services.hall_writer import HallWriter
from queue_server.services.tickets import IssueRequest
from queue_server.services.views import IssuedTicket
from queue_server.storage.tables import Ticket

ROUNDS = 25


def _batches(services: Services, out: list[object]) -> None:
    writer = HallWriter(services.db, services.halls)
    for _ in range(ROUNDS):
        answers: list[Future[IssuedTicket]] = [
            writer.submit("test", services.queue.issue_job("test", IssueRequest(code), SYSTEM))
            for code in ("SOC", "TAX")
        ]
        for answer in answers:
            try:
                out.append(answer.result(timeout=60))
            except Exception as failed:
                out.append(failed)


def _alone(services: Services, out: list[object]) -> None:
    for _ in range(2 * ROUNDS):
        try:
            out.append(services.queue.issue("test", IssueRequest("TAX")))
        except Exception as failed:
            out.append(failed)


def test_issues_outside_the_writer_and_its_batches_all_get_their_tickets(
    two_workers: tuple[Services, Services],
) -> None:
    first, second = two_workers
    first.queue.issue("test", IssueRequest("SOC"))  # the hall's day is set up before the race
    answers: list[object] = []
    threads = [
        threading.Thread(target=_batches, args=(first, answers)),
        threading.Thread(target=_alone, args=(second, answers)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    refused = [a for a in answers if not isinstance(a, IssuedTicket)]
    assert refused == []
    assert len(answers) == 4 * ROUNDS
    numbers = [a.ticket.number for a in answers if isinstance(a, IssuedTicket)]
    assert len(set(numbers)) == len(numbers)
    with first.db.read() as session:
        assert session.scalar(select(func.count()).select_from(Ticket)) == 4 * ROUNDS + 1
        assert verify_chain(session, "test", first.db.chain_key)[1] is None
