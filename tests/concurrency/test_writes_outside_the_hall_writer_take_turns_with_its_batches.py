"""Writes of a hall that do not go through its hall writer (a number taken at the ID-card
reader or for a booking's arrival, a kiosk's offline block) take turns with the writer's
batches on PostgreSQL instead of deadlocking with them. A batch takes the hall's gate and
chain head first and then its jobs' day counters; an issue outside it used to lock its day
counter first and then wait for the head the batch held, while the batch waited for that
counter, and PostgreSQL ended one of the two after a second."""

from __future__ import annotations

from functools import partial

from queue_server.api.deps import Services
from queue_server.services.event_log import SYSTEM
from queue_server.services.hall_writer import HallWriter
from queue_server.services.tickets import IssueRequest
from tests.support.races import (
    answer_of,
    assert_every_ticket_issued_once,
    attempt,
    side_by_side,
)

ROUNDS = 25


def _batches(services: Services, out: list[object]) -> None:
    writer = HallWriter(services.db, services.halls)
    for _ in range(ROUNDS):
        answers = [
            writer.submit("test", services.queue.issue_job("test", IssueRequest(code), SYSTEM))
            for code in ("SOC", "TAX")
        ]
        out.extend(answer_of(answer) for answer in answers)


def _alone(services: Services, out: list[object]) -> None:
    issue = partial(services.queue.issue, "test", IssueRequest("TAX"))
    out.extend(attempt(issue) for _ in range(2 * ROUNDS))


def test_issues_outside_the_writer_and_its_batches_all_get_their_tickets(
    two_workers: tuple[Services, Services],
) -> None:
    first, second = two_workers
    first.queue.issue("test", IssueRequest("SOC"))  # the hall's day is set up before the race
    answers = side_by_side(partial(_batches, first), partial(_alone, second))
    assert len(answers) == 4 * ROUNDS
    assert_every_ticket_issued_once(first, answers, tickets_before=1)
