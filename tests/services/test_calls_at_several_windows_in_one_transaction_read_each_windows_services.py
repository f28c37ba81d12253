"""A batch of the hall writer that calls at several windows reads the first window's services
alone and then the whole hall's (window_weights.py): each window still calls only what it
serves, by its own weights. On both engines."""

from __future__ import annotations

from datetime import timedelta

from queue_server.domain.clock import ManualClock
from queue_server.domain.tickets import CaseType
from queue_server.services.event_log import SYSTEM
from queue_server.services.issuing import IssueRequest
from queue_server.services.views import TicketView
from tests.support.factories import make_services, small_hall


def test_each_window_of_a_batch_calls_what_it_serves(database_url: str, clock: ManualClock) -> None:
    # small_hall: window 1 serves SOC 3, TAX 1; window 2 TAX 3; window 3 RES 1, SOC 1.
    services = make_services(database_url, small_hall(), clock=clock)
    try:
        queue = services.queue
        for code in ("RES", "TAX", "SOC", "SOC"):
            queue.issue("test", IssueRequest(code))
            clock.advance(timedelta(minutes=1))
        called = services.db.run_together(
            [queue.call_next_job("test", window, SYSTEM) for window in (2, 3, 1)]
        )
        assert all(isinstance(c, TicketView) for c in called)
        assert [c.service for c in called] == ["TAX", "RES", "SOC"]
        # Window 3 again, in a transaction of its own: its own row read alone.
        assert queue.start("test", 3, called[1].id) is not None
        queue.finish("test", 3, called[1].id, CaseType.IMMEDIATE)
        again = queue.call_next("test", 3)
        assert again is not None and again.service == "SOC"
    finally:
        services.db.engine.dispose()
