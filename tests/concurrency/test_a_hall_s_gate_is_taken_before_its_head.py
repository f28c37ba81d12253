"""On PostgreSQL a transaction holds a hall by its gate (an advisory lock) and then its chain
head (the hall row), in one statement (hall_lock.hold_hall). The order is what keeps two
holders from deadlocking: one waiting on the head must already hold the gate, so nobody
holding the head waits for a gate behind it. A transaction that took the head by appending
first still takes the gate when it holds the hall."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import text

from queue_server.services.event_log import lock_chain_head
from queue_server.services.hall_lock import hold_hall
from tests.support.factories import make_services, small_hall
from tests.support.locks import backend_pid, lock_waiter

_ADVISORY_HELD_BY = text(
    "SELECT count(*) FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.pid = :pid"
)


def test_a_transaction_waiting_for_the_head_already_holds_the_gate(postgres_url: str) -> None:
    services = make_services(postgres_url, small_hall())
    try:
        with ThreadPoolExecutor(1) as pool, services.db.engine.connect() as probe:
            with services.db.write() as holder:
                lock_chain_head(holder.session, "test")  # the head alone, as an append takes it

                def hold() -> None:
                    with services.db.write() as work:
                        hold_hall(work.session, "test")

                held = pool.submit(hold)
                waiting = lock_waiter(services, backend_pid(holder.session))
                gates = probe.execute(_ADVISORY_HELD_BY, {"pid": waiting}).scalar_one()
                assert gates == 1, "the head was waited for before the gate was held"
                assert not held.done()
            held.result(timeout=20)
    finally:
        services.db.engine.dispose()


def test_a_transaction_that_appended_first_still_takes_the_gate(postgres_url: str) -> None:
    services = make_services(postgres_url, small_hall())
    try:
        with services.db.write() as work:
            session = work.session
            lock_chain_head(session, "test")
            pid = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
            before = session.execute(_ADVISORY_HELD_BY, {"pid": pid}).scalar_one()
            hold_hall(session, "test")
            after = session.execute(_ADVISORY_HELD_BY, {"pid": pid}).scalar_one()
        assert (before, after) == (0, 1)
    finally:
        services.db.engine.dispose()
