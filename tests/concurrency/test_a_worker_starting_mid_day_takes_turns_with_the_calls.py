"""A worker that starts while another serves the hall (a rolling restart of a city's hosts)
applies the hall files and brings the floor rows to today: it locks every window of its halls.
It takes each hall first (hall_lock.hold_hall), so it waits for a batch of calls instead of
deadlocking with it. Before, it locked windows 1 and 2 and waited for window 3, which a batch
of the other worker's writer held while its second call waited for window 1, and PostgreSQL
ended one of the two after a second."""

from __future__ import annotations

import threading
from concurrent.futures import Future

from queue_server.api.deps import Services
from queue_server.services.event_log import SYSTEM
from queue_server.services.hall_writer import HallWriter
from queue_server.services.halls import apply_hall_files

ROUNDS = 25


def _calls(services: Services, out: list[object]) -> None:
    writer = HallWriter(services.db, services.halls)
    for _ in range(ROUNDS):
        # Nobody waits: each call locks its window, finds no one and answers None.
        answers: list[Future[object]] = [
            writer.submit("test", services.queue.call_next_job("test", window, SYSTEM))
            for window in (3, 1)
        ]
        for answer in answers:
            try:
                out.append(answer.result(timeout=60))
            except Exception as failed:
                out.append(failed)


def _starts(services: Services, out: list[object]) -> None:
    for _ in range(ROUNDS):
        try:
            apply_hall_files(services.db, services.halls, services.clock)
            out.append(None)
        except Exception as failed:
            out.append(failed)


def test_starting_up_beside_batches_of_calls_fails_nobody(
    two_workers: tuple[Services, Services],
) -> None:
    serving, starting = two_workers
    assert serving.queue.call_next("test", 1) is None  # the hall's day is set up before
    answers: list[object] = []
    threads = [
        threading.Thread(target=_calls, args=(serving, answers)),
        threading.Thread(target=_starts, args=(starting, answers)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    assert len(answers) == 3 * ROUNDS
    assert [a for a in answers if a is not None] == []
