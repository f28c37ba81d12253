"""On PostgreSQL a transaction that locks one of a hall's tickets (a cancel, a transfer) holds
the hall first (hall_lock.hold_hall), so call-next waits its turn behind it instead of racing it:
it then calls the ticket that was held, first in line, not the one behind it. (Before, the
call skipped the held ticket, and a batch of the hall writer that held the chain head could
deadlock with a move that held a ticket and waited for the head.)"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from queue_server.services.queries import lock_ticket
from queue_server.services.tickets import IssueRequest
from tests.support.factories import make_services, small_hall
from tests.support.locks import backend_pid, lock_waiter


def test_the_call_waits_for_the_move_then_calls_the_ticket_it_held(postgres_url: str) -> None:
    services = make_services(postgres_url, small_hall())
    try:
        first = services.queue.issue("test", IssueRequest("SOC")).ticket
        services.queue.issue("test", IssueRequest("SOC"))
        # The pool outlives the holding transaction: a call that never waited is still
        # answered, and the assertions below fail instead of hanging.
        with ThreadPoolExecutor(1) as pool:
            with services.db.write() as work:
                lock_ticket(work.session, "test", first.id)  # the hall is held to the block's end
                called = pool.submit(services.queue.call_next, "test", 1)
                lock_waiter(services, backend_pid(work.session))  # the call waits for the hall
                assert not called.done()
            ticket = called.result(timeout=20)
        assert ticket is not None and ticket.number == first.number
    finally:
        services.db.engine.dispose()
