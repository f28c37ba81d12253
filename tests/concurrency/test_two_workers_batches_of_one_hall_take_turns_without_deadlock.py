"""Two worker processes' hall writers on PostgreSQL, each committing batches that issue for two
services in opposite orders, neither deadlock nor refuse anyone: every request gets its ticket,
numbers stay distinct, and the chain verifies. (Before the writer took the hall's gate and
chain head first, a job locked its day counter while its batch already held the head, and
half of such requests ended as a deadlock's victims.)"""

from __future__ import annotations

from functools import partial

from queue_server.api.deps import Services
from queue_server.services.event_log import SYSTEM
from queue_server.services.hall_writer import HallWriter
from queue_server.services.tickets import IssueRequest
from tests.support.races import answer_of, assert_every_ticket_issued_once, side_by_side

ROUNDS = 25


def _issue_in_turn(services: Services, order: tuple[str, str], out: list[object]) -> None:
    writer = HallWriter(services.db, services.halls)
    for _ in range(ROUNDS):
        # Submitted together: the writer's batch holds both (or each alone, at worst).
        answers = [
            writer.submit("test", services.queue.issue_job("test", IssueRequest(code), SYSTEM))
            for code in order
        ]
        out.extend(answer_of(answer) for answer in answers)


def test_crossing_batches_of_two_workers_all_get_their_tickets(
    two_workers: tuple[Services, Services],
) -> None:
    first, second = two_workers
    first.queue.issue("test", IssueRequest("SOC"))  # the hall's day is set up before the race
    answers = side_by_side(
        partial(_issue_in_turn, first, ("SOC", "TAX")),
        partial(_issue_in_turn, second, ("TAX", "SOC")),
    )
    assert len(answers) == 4 * ROUNDS
    assert_every_ticket_issued_once(first, answers, tickets_before=1)
