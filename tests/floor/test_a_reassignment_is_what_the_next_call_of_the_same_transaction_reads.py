"""A transaction reads which services each window serves once (services/window_weights.py):
a simulated day, or a batch of the hall writer, calls at every window. A reassignment made
inside that same transaction must be what its next call reads, on both engines."""

from __future__ import annotations

from queue_server.composition import filling_hall
from queue_server.domain.clock import ManualClock
from queue_server.services.event_log import Actor
from queue_server.services.tickets import IssueRequest
from queue_server.simulation.inprocess import DayBatch
from tests.support.factories import small_hall

LEAD = Actor(device="test-floor")


def test_it_calls_by_the_services_given_earlier_in_the_transaction(
    database_url: str, clock: ManualClock
) -> None:
    with filling_hall(database_url, small_hall(), clock, database_class=DayBatch) as services:
        assert isinstance(services.db, DayBatch)
        with services.db.batch():
            waiting = services.queue.issue("test", IssueRequest("RES"), actor=LEAD).ticket
            # Window 2 serves TAX alone: nothing to call, and the weights are now read.
            assert services.queue.call_next("test", 2, actor=LEAD) is None
            services.floor_actions.reassign("test", 2, {"RES": 1}, LEAD)
            called = services.queue.call_next("test", 2, actor=LEAD)
        assert called is not None
        assert called.id == waiting.id
