"""What one write transaction knew of a hall's issuing inputs, handed to the next (issue 22).

A transaction remembers the service's stop flag, open capacity and last handling times, the
size of each service's queue (issue_inputs.py) and the windows' service weights
(window_weights.py), while it runs. With one request a transaction (a quiet hall, a kiosk
alone) every transaction read them all again, and the queue's size is a count of every
waiting ticket of the service.

A write transaction leaves its memo here, as it commits, with the hall's chain head as it
left it (sequence number and hash). The next write transaction of this process that reads the same
head takes the memo over: the head has not moved, so no event has been appended since, by
this process or any other, and every change of those inputs appends one (issue_inputs.py)
or is done here by a transaction that says so (`changed_without_event`: the floor's new day,
floor_day.py). A head that has moved, a rollback, or a hall the transaction did not hold
leaves nothing to take over: the inputs are simply read again.

Only what a transaction learned after it held the hall's head is carried: read before, on
PostgreSQL, it could predate another worker's change that the head already includes.

A head moved by a few events of kinds that change no input but a queue's size or a service's
handling times or the open capacities (an issue, a call, a cancellation, a move at a window, a
finish, a rating, a pause, a sign-in, a booking...; issue_inputs.KEEP_QUEUE_SIZES) is caught
up with instead:
those events are read, from the memo's own head on, and applied to the memo as the
transaction that appended them applied them to its own. A hall served by several workers
(PostgreSQL) moves its head between any two transactions of one worker, and each of them read
every input again and counted the service's whole queue: an issue with 3,000 waiting cost
3.3-4.1 ms instead of 1.7-1.9 (bench_issue_in_a_mix --other-worker).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, bindparam, select
from sqlalchemy.orm import Session

from queue_server.domain.events import EventKind
from queue_server.services.issue_inputs import (
    KEEP_QUEUE_SIZES,
    InputKey,
    forget_in,
    issue_inputs_memo,
    queue_sizes,
)
from queue_server.services.prepared import PreparedRead
from queue_server.services.transaction_memo import transaction_memo
from queue_server.services.window_weights import take_over_weights, weights_known, weights_read
from queue_server.storage.tables import Event, Ticket

_STORE = "hallq.carried_inputs"  # Session.info: the Database's store, set by Database.write
# The chain heads a transaction holds, by hall (event_log.py keeps them under this memo name).
CHAIN_HEADS = "chain_heads"
_HELD_CLEAN = "carried/held_clean"  # halls whose head was held before any input was read
_VOID = "carried/void"  # this transaction changed inputs without an event


@dataclass(frozen=True)
class Carried:
    seq: int
    hash: str
    inputs: dict[InputKey, Any]
    sizes: dict[tuple[str, str], int]
    weights: dict[int, dict[str, int]]  # window -> service -> weight (window_weights.py)


class CarriedInputs:
    """A process's carried memos, by hall; one per Database (engine)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()  # the hall writers of several halls commit at once
        self._halls: dict[str, Carried] = {}
        self.taken_over = 0  # transactions that began with a carried memo (for tests, benches)
        self.caught_up = 0  # of those, the memos caught up with another worker's events

    def peek(self, hall_id: str) -> Carried | None:
        """What is carried for the hall now, if anything."""
        with self._lock:
            return self._halls.get(hall_id)

    def attach(self, session: Session) -> None:
        session.info[_STORE] = self

    def take_over(self, session: Session, hall_id: str, seq: int, hash_: str) -> None:
        """Called once the transaction holds the hall's head, as read: the memo carried at
        that very head, if any, becomes this transaction's (what it read already stays)."""
        inputs = issue_inputs_memo(session)
        sizes = queue_sizes(session)
        clean = (
            not any(k[1] == hall_id for k in inputs)
            and not any(k[0] == hall_id for k in sizes)
            and not weights_read(session, hall_id)
        )
        transaction_memo(session, _HELD_CLEAN)[hall_id] = clean
        with self._lock:
            carried = self._halls.get(hall_id)
        behind = carried is not None and (carried.seq, carried.hash) != (seq, hash_)
        if carried is not None and behind:
            carried = _caught_up(session, hall_id, carried, seq, hash_)
        if carried is None:
            return
        with self._lock:
            self.taken_over += 1
            self.caught_up += behind
        for key, value in carried.inputs.items():
            inputs.setdefault(key, value)
        for size_key, size in carried.sizes.items():
            sizes.setdefault(size_key, size)
        take_over_weights(session, hall_id, carried.weights)

    def leave(self, session: Session) -> None:
        """At the end of a transaction, just before its COMMIT: its memo for each hall it
        held from the start, at the head it leaves.

        Before the COMMIT, not after: the transaction still holds the heads, so no other
        transaction of the hall can read them and take over an older memo in between (one
        published after COMMIT could land after a later transaction's). Should the COMMIT
        fail, the memo is left at a head that never comes to be (its hash chains this
        transaction's events), and nothing takes it over."""
        heads = transaction_memo(session, CHAIN_HEADS)
        void = transaction_memo(session, _VOID)
        clean = transaction_memo(session, _HELD_CLEAN)
        inputs = issue_inputs_memo(session)
        sizes = queue_sizes(session)
        with self._lock:
            for hall_id, head in heads.items():
                if hall_id in void or not clean.get(hall_id, False):
                    self._halls.pop(hall_id, None)
                    continue
                self._halls[hall_id] = Carried(
                    head.seq,
                    head.hash,
                    {k: v for k, v in inputs.items() if k[1] == hall_id},
                    {k: v for k, v in sizes.items() if k[0] == hall_id},
                    weights_known(session, hall_id),
                )
            for hall_id in void:
                self._halls.pop(hall_id, None)

    def forget(self, hall_id: str) -> None:
        with self._lock:
            self._halls.pop(hall_id, None)


def carried_store(session: Session) -> CarriedInputs | None:
    store = session.info.get(_STORE)
    return store if isinstance(store, CarriedInputs) else None


def changed_without_event(session: Session, hall_id: str) -> None:
    """This transaction, which holds the hall's head, changes its issuing inputs (windows,
    weights, stop flags) without an event: nothing carried for the hall holds from now on,
    and this transaction leaves nothing either."""
    transaction_memo(session, _VOID)[hall_id] = True
    store = carried_store(session)
    if store is not None:
        store.forget(hall_id)


# Events since a memo's head read to catch up with, at most: more cost about what reading the
# inputs again costs.
CATCH_UP_AT_MOST = 32
_EVENTS = cast(Table, Event.__table__)
_TICKETS = cast(Table, Ticket.__table__)
_SINCE = PreparedRead(
    select(
        _EVENTS.c.kind,
        _EVENTS.c.hash,
        _TICKETS.c.service_code,
        _TICKETS.c.target_window,
        _TICKETS.c.called_at.is_(None),
    )
    .select_from(_EVENTS.outerjoin(_TICKETS, _TICKETS.c.id == _EVENTS.c.ticket_id))
    .where(
        _EVENTS.c.hall_id == bindparam("hall_id"),
        _EVENTS.c.seq >= bindparam("first"),
        _EVENTS.c.seq <= bindparam("last"),
    )
    .order_by(_EVENTS.c.seq)
)
_ISSUED, _CALLED = EventKind.TICKET_ISSUED.value, EventKind.TICKET_CALLED.value
_CANCELLED = EventKind.TICKET_CANCELLED.value


def _caught_up(
    session: Session, hall_id: str, carried: Carried, seq: int, hash_: str
) -> Carried | None:
    """`carried` as it stands after the events appended since its head, up to the head
    (`seq`, `hash_`) this transaction holds; None when one of them may have changed an input,
    or they cannot be shown to follow the memo's head."""
    if carried.seq < 1 or not 0 < seq - carried.seq <= CATCH_UP_AT_MOST:
        return None
    rows = _SINCE.rows(session, {"hall_id": hall_id, "first": carried.seq, "last": seq})
    # The memo's own head first: a memo is left before its COMMIT, which may have failed, and
    # then no event bears its hash. The sequence numbers are unique and consecutive in a hall.
    if len(rows) != seq - carried.seq + 1 or rows[0][1] != carried.hash or rows[-1][1] != hash_:
        return None
    inputs: dict[InputKey, Any] = dict(carried.inputs)
    sizes = dict(carried.sizes)
    for kind, _, service, target_window, never_called in rows[1:]:
        if kind not in KEEP_QUEUE_SIZES:
            return None
        forget_in(inputs, kind, hall_id, service)
        # Only an issue, a call and a cancellation change who waits, untargeted, among these
        # kinds, each by its own ticket, as the transaction that appended it counted
        # (queries.count_ahead, queries.claim_and_call, window_moves.cancel_locked). A ticket
        # cancelled while it waited was never called; one cancelled on hold was. An offline
        # ticket of a day that is over is issued and cancelled at once: one, then none.
        size_key = (hall_id, service)
        if target_window is None and size_key in sizes:
            if kind == _ISSUED:
                sizes[size_key] += 1
            elif kind == _CALLED or (kind == _CANCELLED and never_called):
                sizes[size_key] -= 1
    return Carried(seq, hash_, inputs, sizes, carried.weights)
