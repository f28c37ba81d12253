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
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from queue_server.services.issue_inputs import InputKey, issue_inputs_memo, queue_sizes
from queue_server.services.transaction_memo import transaction_memo
from queue_server.services.window_weights import take_over_weights, weights_known, weights_read

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
            if carried is None or (carried.seq, carried.hash) != (seq, hash_):
                return
            self.taken_over += 1
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
