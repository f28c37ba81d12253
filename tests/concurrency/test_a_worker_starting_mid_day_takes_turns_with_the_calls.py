"""A worker that starts while another serves the hall (a rolling restart of a city's hosts)
applies the hall files and brings the floor rows to today: it locks every window of its halls.
It takes each hall first (hall_lock.hold_hall), so it waits for a batch of calls instead of
deadlocking with it. Before, it locked windows 1 and 2 and waited for window 3, which a batch
of the other worker's writer held while its second call waited for window 1, and PostgreSQL
ended one of the two after a second."""

from __future__ import annotations

from functools import partial

from queue_server.api.deps import Services
from queue_server.services.event_log import SYSTEM
from queue_server.services.hall_writer import HallWriter
from queue_server.services.halls import apply_hall_files
from tests.support.races import answer_of, attempt, side_by_side

ROUNDS = 25


def _calls(services: Services, out: list[object]) -> None:
    writer = HallWriter(services.db, services.halls)
    for _ in range(ROUNDS):
        # Nobody waits: each call locks its window, finds no one and answers None.
        answers = [
            writer.submit("test", services.queue.call_next_job("test", window, SYSTEM))
            for window in (3, 1)
        ]
        out.extend(answer_of(answer) for answer in answers)


def _starts(services: Services, out: list[object]) -> None:
    start = partial(apply_hall_files, services.db, services.halls, services.clock)
    # The hall files are the baseline already: each start locks the floor rows, writes nothing.
    out.extend(attempt(start) for _ in range(ROUNDS))


def test_starting_up_beside_batches_of_calls_fails_nobody(
    two_workers: tuple[Services, Services],
) -> None:
    serving, starting = two_workers
    assert serving.queue.call_next("test", 1) is None  # the hall's day is set up before
    answers = side_by_side(partial(_calls, serving), partial(_starts, starting))
    assert len(answers) == 3 * ROUNDS
    assert [a for a in answers if isinstance(a, Exception)] == []
