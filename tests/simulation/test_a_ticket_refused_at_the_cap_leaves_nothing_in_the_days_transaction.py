"""The simulator runs a day's issues in one transaction without a SAVEPOINT each
(simulation/inprocess.py). A ticket refused at its service's daily cap must leave nothing in
that transaction: no ticket, no event, and the cap's counter where it was (both engines)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from queue_server.composition import filling_hall
from queue_server.domain.clock import ManualClock
from queue_server.domain.errors import DailyCapReached
from queue_server.services.event_log import Actor
from queue_server.services.tickets import IssueRequest
from queue_server.simulation.inprocess import DayBatch
from queue_server.storage.tables import Counter, Event, Ticket
from tests.support.factories import small_hall

KIOSK = Actor(device="test-kiosk")


def test_it_keeps_the_counter_at_the_cap_after_refusals(
    database_url: str, clock: ManualClock
) -> None:
    config = small_hall(daily_cap=2)
    with filling_hall(database_url, config, clock, database_class=DayBatch) as services:
        assert isinstance(services.db, DayBatch)
        with services.db.batch():
            for _ in range(2):
                services.queue.issue("test", IssueRequest("SOC"), actor=KIOSK)
            with services.db.read() as session:
                events_before = session.scalar(select(func.count()).select_from(Event))
            for _ in range(3):
                with pytest.raises(DailyCapReached):
                    services.queue.issue("test", IssueRequest("SOC"), actor=KIOSK)
            services.queue.issue("test", IssueRequest("TAX"), actor=KIOSK)
        with services.db.read() as session:
            cap = session.scalar(select(Counter.value).where(Counter.key == "service:SOC"))
            tickets = session.scalar(select(func.count()).where(Ticket.service_code == "SOC"))
            events = session.scalar(select(func.count()).select_from(Event))
        assert cap == 2
        assert tickets == 2
        assert events == (events_before or 0) + 1
