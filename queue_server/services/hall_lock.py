"""A hall's first locks on PostgreSQL, taken by every transaction that changes its queue.

`hold_hall` takes the hall's gate (a transaction-scoped advisory lock), then its event chain's
head, before the transaction locks any of the hall's day counters, tickets or windows.
SQLite's write lock (BEGIN IMMEDIATE) already makes such transactions take turns.

Why first (issue 22): a batch of the hall writer holds the head from its first job's append
to its COMMIT, so its later jobs lock their counters and tickets with the head held. A lone
transaction (a number taken at the ID-card reader, a move outside the writer, a worker
starting up and bringing the floor rows to today) locked its rows first and then waited for
the head at its first append. Each held what the other waited for, and PostgreSQL ended one
of them after a second. Taken first everywhere, the gate and the head make a hall's writes
take turns; they queued on the head at their end anyway. A transaction that holds several
halls takes them in the order of their ids.

The gate also makes call-next wait its turn before reading the queue: windows calling at the
same moment all read the same head, all but one lost the claim, and each loser read the queue
again: 20 windows spent a third of their time re-reading.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from queue_server.services.event_log import lock_chain_head
from queue_server.services.prepared import PreparedRead
from queue_server.services.transaction_memo import transaction_memo

_GATE = PreparedRead(select(func.pg_advisory_xact_lock(bindparam("key"))))
_HELD = "held_halls"
# One lock for every worker and CLI command that brings a hall's rows up to date: applying the
# hall files at start-up (halls.py) and rolling the floor over to a new day (floor_day.py)
# take turns on it.
_HALL_ROWS_KEY = 4242001


def hold_hall_rows(session: Session) -> None:
    """The lock of the hall rows' set-up, to the end of the transaction (PostgreSQL only)."""
    if session.get_bind().dialect.name == "postgresql":
        _GATE.rows(session, {"key": _HALL_ROWS_KEY})


def hold_hall(session: Session, hall_id: str) -> None:
    """The hall's gate and chain head, once a transaction (on SQLite, whose write lock makes
    the transactions take turns, the head alone: read first, as the append would read it
    anyway, it lets the transaction take over what the last one knew, carried_inputs.py)."""
    if session.get_bind().dialect.name != "postgresql":
        lock_chain_head(session, hall_id)
        return
    # Held to the end of the transaction: a batch of the hall writer or a simulated day needs
    # no second round trip (forgotten, and taken again, after any rollback).
    held = transaction_memo(session, _HELD)
    if hall_id in held:
        return
    digest = hashlib.sha256(f"hallq-call-next:{hall_id}".encode()).digest()
    gate = int.from_bytes(digest[:8], "big", signed=True)
    # Gate and head in one statement; a head this transaction took earlier (an append
    # before it held the hall) leaves the gate to take on its own.
    if not lock_chain_head(session, hall_id, gate=gate):
        _GATE.rows(session, {"key": gate})
    held[hall_id] = True
