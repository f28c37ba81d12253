"""With people ahead, the range a visitor is told is the domain's estimate of the service's
open capacity (each open, unpaused window by its share of attention) and the handling times
last measured: a pause of a window serving the service widens the next ticket's range at
once, and the times clerks took are what it is read from. On both engines."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from queue_server.domain.estimate import WaitEstimate
from queue_server.domain.estimate_calibration import estimate_at_issue
from queue_server.domain.tickets import CaseType
from queue_server.services.issuing import IssueRequest
from tests.support.factories import make_services, small_hall

HANDLED = [3.0, 5.0, 6.0, 9.0, 14.0]  # minutes at window 2, one TAX ticket each


@pytest.fixture
def hall_services(database_url: str, clock: ManualClock) -> Iterator[Services]:
    built = make_services(database_url, small_hall(), clock=clock)
    yield built
    built.db.engine.dispose()


def _expected(services: Services, ahead: int, capacity: float) -> WaitEstimate:
    hall = services.halls.get("test")
    config = hall.config.service("TAX")
    assert config is not None
    return estimate_at_issue(
        ahead,
        capacity,
        HANDLED,
        config.default_handling_minutes,
        service="TAX",
        calibration=services.queue.calibrations.for_hall(hall, services.clock.now()),
        windows=None,
    )


def test_the_range_follows_pauses_and_handling(hall_services: Services, clock: ManualClock) -> None:
    queue = hall_services.queue
    for minutes in HANDLED:
        ticket = queue.issue("test", IssueRequest("TAX")).ticket
        called = queue.call_next("test", 2)
        assert called is not None and called.id == ticket.id
        queue.start("test", 2, ticket.id)
        clock.advance(timedelta(minutes=minutes))
        queue.finish("test", 2, ticket.id, CaseType.IMMEDIATE)

    queue.issue("test", IssueRequest("TAX"))
    both_open = queue.issue("test", IssueRequest("TAX")).ticket
    # TAX has window 1 at weight 1 of 4 and window 2 all to itself: 1.25 windows.
    assert both_open.ahead == 1
    assert both_open.estimated_wait == _expected(hall_services, 1, 1.25)

    queue.pause("test", 2, "break", None)
    one_paused = queue.issue("test", IssueRequest("TAX")).ticket
    # Window 2 paused: only window 1's quarter is left for the two ahead.
    assert one_paused.ahead == 2
    assert one_paused.estimated_wait == _expected(hall_services, 2, 0.25)
    assert one_paused.estimated_wait != _expected(hall_services, 2, 1.25)
    assert queue.get_ticket(one_paused.id).estimated_wait == one_paused.estimated_wait
