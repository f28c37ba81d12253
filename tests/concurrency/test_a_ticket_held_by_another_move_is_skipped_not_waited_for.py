"""On PostgreSQL call-next skips a waiting ticket whose row another transaction holds (a
cancel, a transfer in progress) and calls the next one, instead of waiting for it: a batch of
the hall writer may already hold the chain head that the other transaction needs next, and
waiting would deadlock the two (queries.claim_and_call, FOR UPDATE SKIP LOCKED in the claim)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from queue_server.services.queries import lock_ticket
from queue_server.services.tickets import IssueRequest
from tests.support.factories import make_services, small_hall


def test_a_held_ticket_is_skipped_and_called_once_free(postgres_url: str) -> None:
    services = make_services(postgres_url, small_hall())
    try:
        first = services.queue.issue("test", IssueRequest("SOC")).ticket
        second = services.queue.issue("test", IssueRequest("SOC")).ticket
        # The pool outlives the holding transaction: if the call waited for the row, the
        # timeout below ends the transaction, the call goes on, and the test fails, not hangs.
        with ThreadPoolExecutor(1) as pool, services.db.write() as work:
            lock_ticket(work.session, "test", first.id)  # held until this block ends
            called = pool.submit(services.queue.call_next, "test", 1).result(timeout=20)
        assert called is not None and called.number == second.number
        services.queue.no_show("test", 1, called.id)
        again = services.queue.call_next("test", 1)
        assert again is not None and again.number == first.number
    finally:
        services.db.engine.dispose()
