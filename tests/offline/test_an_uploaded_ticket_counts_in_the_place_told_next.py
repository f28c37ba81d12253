"""A ticket a kiosk issued offline joins its service's queue when its journal is uploaded, and
the next visitor issued online is told a place behind it. The server remembers each queue's
size between transactions of one worker (services/carried_inputs.py): the upload must count
in it as an online issue does. On both engines."""

from __future__ import annotations

from datetime import timedelta

from queue_server.domain.clock import ManualClock
from queue_server.domain.tickets import Priority
from queue_server.services.event_log import SYSTEM
from queue_server.services.issuing import IssueRequest
from queue_server.services.leases import JournalEntry
from tests.support.factories import OPEN_MORNING, make_services, small_hall

HALL = "test"
DEVICE = "kiosk-1"


def test_an_uploaded_ticket_counts_in_the_place_told_next(database_url: str) -> None:
    clock = ManualClock(OPEN_MORNING)
    services = make_services(database_url, small_hall(), clock=clock)
    try:
        lease = services.leases.take(HALL, DEVICE, "SOC", "lease-1", SYSTEM)
        first = services.queue.issue(HALL, IssueRequest("SOC")).ticket
        assert first.ahead == 0
        clock.advance(timedelta(minutes=1))
        entry = JournalEntry("off-1", lease.id, lease.first, Priority.NORMAL, clock.now())
        [answer] = services.leases.reconcile(HALL, DEVICE, [entry], SYSTEM, uploaded_by=DEVICE)
        assert answer.ticket_id is not None
        clock.advance(timedelta(minutes=1))
        told = services.queue.issue(HALL, IssueRequest("SOC")).ticket
        assert told.ahead == services.queue.get_ticket(told.id).ahead == 2
    finally:
        services.db.engine.dispose()
