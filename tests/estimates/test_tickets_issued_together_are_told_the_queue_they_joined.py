"""A ticket issued in a batch of the hall writer is told the same place in the queue as if it
had been issued alone. A batch counts a service's whole queue once and then only those behind
each further ticket (issue_inputs.queue_sizes); calls, no-shows and refused jobs in between
must leave every answer as it would have been. The same random day is played twice in one
database, in two identical halls: one request per transaction in one, batches of one to eight
in the other, at the same instants. On both engines."""

from __future__ import annotations

import functools
import random
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from queue_server.domain.tickets import Priority
from queue_server.services.database import Job
from queue_server.services.event_log import SYSTEM
from queue_server.services.issuing import IssueRequest
from queue_server.services.views import IssuedTicket, TicketView
from tests.support.factories import make_services, small_hall
from tests.support.races import attempt

WINDOWS = range(1, 8)  # windows 1-3 of the small hall and four more serving SOC and TAX
REQUESTS = ("SOC", "SOC", "SOC", "TAX", "TAX", "RES")


@pytest.fixture
def two_halls(database_url: str, clock: ManualClock) -> Iterator[Services]:
    built = make_services(
        database_url,
        small_hall("alone", extra_windows=4),
        small_hall("together", extra_windows=4),
        clock=clock,
    )
    yield built
    built.db.engine.dispose()


def _outcome(result: Any) -> tuple[Any, ...]:
    if isinstance(result, IssuedTicket):
        wait = result.ticket.estimated_wait
        return ("issued", result.ticket.number, result.ticket.ahead, wait)
    if isinstance(result, TicketView):
        return ("moved", result.number, result.state)
    if result is None:
        return ("nobody",)
    return ("refused", type(result).__name__)


def _jobs(
    services: Services, hall: str, steps: list[tuple[str, Any]], at_window: dict[int, str]
) -> list[Job[Any]]:
    queue = services.queue
    made: list[Job[Any]] = []
    for kind, arg in steps:
        if kind == "issue":
            made.append(queue.issue_job(hall, IssueRequest(arg[0], arg[1]), SYSTEM))
        elif kind == "call":
            made.append(queue.call_next_job(hall, arg, SYSTEM))
        else:
            made.append(queue.no_show_job(hall, arg, at_window.get(arg, "no-ticket"), SYSTEM))
    return made


def test_batches_tell_every_ticket_the_place_it_would_have_alone(
    two_halls: Services, clock: ManualClock
) -> None:
    rng = random.Random(22)
    at_window: dict[str, dict[int, str]] = {"alone": {}, "together": {}}
    compared = 0
    for _ in range(60):
        steps: list[tuple[str, Any]] = []
        for _ in range(rng.randint(1, 8)):
            roll = rng.random()
            if roll < 0.5:
                priority = Priority.GREEN if rng.random() < 0.15 else Priority.NORMAL
                steps.append(("issue", (rng.choice(REQUESTS[:5]) if priority is Priority.GREEN
                                        else rng.choice(REQUESTS), priority)))  # fmt: skip
            elif roll < 0.75:
                steps.append(("call", rng.choice(WINDOWS)))
            else:
                busy = sorted(at_window["alone"]) or list(WINDOWS)
                steps.append(("no-show", rng.choice(busy)))

        alone = [
            attempt(functools.partial(two_halls.db.run, job))
            for job in _jobs(two_halls, "alone", steps, at_window["alone"])
        ]
        together = two_halls.db.run_together(
            _jobs(two_halls, "together", steps, at_window["together"])
        )
        assert [_outcome(r) for r in together] == [_outcome(r) for r in alone]
        for hall, results in (("alone", alone), ("together", together)):
            for (kind, window), result in zip(steps, results, strict=True):
                if kind == "call" and isinstance(result, TicketView):
                    at_window[hall][window] = result.id
                elif kind == "no-show" and isinstance(result, TicketView):
                    at_window[hall].pop(window, None)
        compared += sum(isinstance(r, IssuedTicket) for r in together)
        clock.advance(timedelta(minutes=rng.randint(1, 7)))
    assert compared > 60  # the day issued enough to compare (a seed that did not fails here)
