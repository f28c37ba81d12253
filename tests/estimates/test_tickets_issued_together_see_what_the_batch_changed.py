"""Tickets issued in one transaction (a batch of the hall writer, a simulated day) read the
service's handling times, open capacity and stop flag once, and read them again as soon as
the transaction records a change of any of them: a finish between two issues gives the second
ticket the new handling time, a pause the smaller capacity. On both engines."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from queue_server.domain.estimate import WaitEstimate
from queue_server.domain.estimate_calibration import estimate_at_issue
from queue_server.domain.events import EventKind
from queue_server.domain.tickets import CaseType
from queue_server.services.event_log import SYSTEM, append_event
from queue_server.services.issuing import IssueRequest
from queue_server.services.queries import handling_minutes, lock_window, service_capacity
from queue_server.services.views import IssuedTicket
from tests.support.factories import make_services, small_hall

HANDLED = [3.0, 5.0, 6.0, 9.0]  # minutes at window 2, one TAX ticket each
LAST = 14.0  # the finish recorded inside the batch


@pytest.fixture
def hall_services(database_url: str, clock: ManualClock) -> Iterator[Services]:
    built = make_services(database_url, small_hall(), clock=clock)
    yield built
    built.db.engine.dispose()


def _expected(services: Services, ahead: int, samples: list[float]) -> WaitEstimate:
    hall = services.halls.get("test")
    config = hall.config.service("TAX")
    assert config is not None
    return estimate_at_issue(
        ahead,
        1.25,  # TAX: window 1 at weight 1 of 4, window 2 all to itself
        samples,
        config.default_handling_minutes,
        service="TAX",
        calibration=services.queue.calibrations.for_hall(hall, services.clock.now()),
        windows=None,
    )


def test_a_finish_between_two_issues_reaches_the_second(
    hall_services: Services, clock: ManualClock
) -> None:
    queue = hall_services.queue
    for minutes in HANDLED:
        ticket = queue.issue("test", IssueRequest("TAX")).ticket
        assert queue.call_next("test", 2) is not None
        queue.start("test", 2, ticket.id)
        clock.advance(timedelta(minutes=minutes))
        queue.finish("test", 2, ticket.id, CaseType.IMMEDIATE)
    at_window = queue.issue("test", IssueRequest("TAX")).ticket
    assert queue.call_next("test", 2) is not None
    queue.start("test", 2, at_window.id)
    queue.issue("test", IssueRequest("TAX"))  # someone waiting: the range, not one figure
    clock.advance(timedelta(minutes=LAST))

    jobs = [
        queue.issue_job("test", IssueRequest("TAX"), actor=SYSTEM),
        queue.issue_job("test", IssueRequest("TAX"), actor=SYSTEM),
        queue.finish_job("test", 2, at_window.id, CaseType.IMMEDIATE),
        queue.issue_job("test", IssueRequest("TAX"), actor=SYSTEM),
    ]
    first, second, finished, third = hall_services.db.run_together(jobs)
    assert isinstance(first, IssuedTicket) and isinstance(third, IssuedTicket)
    assert isinstance(second, IssuedTicket)
    assert finished.state == "finished"

    assert first.ticket.estimated_wait == _expected(hall_services, 1, HANDLED)
    assert second.ticket.estimated_wait == _expected(hall_services, 2, HANDLED)
    now_handled = [*HANDLED, LAST]
    assert third.ticket.estimated_wait == _expected(hall_services, 3, now_handled)
    assert third.ticket.estimated_wait != _expected(hall_services, 3, HANDLED)
    # What a transaction of its own reads now.
    with hall_services.db.read() as session:
        assert sorted(handling_minutes(session, "test", "TAX")) == sorted(now_handled)


def test_a_pause_recorded_in_the_transaction_is_read_at_once(
    hall_services: Services, clock: ManualClock
) -> None:
    with hall_services.db.write() as work:
        session = work.session
        assert service_capacity(session, "test", "TAX") == 1.25
        assert service_capacity(session, "test", "TAX") == 1.25  # remembered
        window = lock_window(session, "test", 2)
        window.paused, window.pause_reason, window.paused_at = True, "break", clock.now()
        append_event(
            work, "test", EventKind.WINDOW_PAUSED, clock.now(), window=2, payload={"reason": "x"}
        )
        assert service_capacity(session, "test", "TAX") == 0.25
