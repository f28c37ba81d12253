"""Two worker processes' hall writers on PostgreSQL, each committing batches that issue for two
services in opposite orders, neither deadlock nor refuse anyone: every request gets its ticket,
numbers stay distinct, and the chain verifies. (Before the writer took the hall's gate and
chain head first, a job locked its day counter while its batch already held the head, and
half of such requests ended as a deadlock's victims.)"""

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


def _issue_in_turn(services: Services, order: tuple[str, str], out: list[object]) -> None:
    writer = HallWriter(services.db, services.halls)
    for _ in range(ROUNDS):
        # Submitted together: the writer's batch holds both (or each alone, at worst).
        answers: list[Future[IssuedTicket]] = [
            writer.submit("test", services.queue.issue_job("test", IssueRequest(code), SYSTEM))
            for code in order
        ]
        for answer in answers:
            try:
                out.append(answer.result(timeout=60))
            except Exception as failed:
                out.append(failed)


def test_crossing_batches_of_two_workers_all_get_their_tickets(
    two_workers: tuple[Services, Services],
) -> None:
    first, second = two_workers
    first.queue.issue("test", IssueRequest("SOC"))  # the hall's day is set up before the race
    answers: list[object] = []
    threads = [
        threading.Thread(target=_issue_in_turn, args=(first, ("SOC", "TAX"), answers)),
        threading.Thread(target=_issue_in_turn, args=(second, ("TAX", "SOC"), answers)),
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
