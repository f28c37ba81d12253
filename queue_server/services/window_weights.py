"""Which services a window serves, and with what weight: read once a transaction.

A batch of the hall writer, or a simulated day, calls next at every window and estimates every
ticket with these rows, while only an arrangement change writes them; that change forgets the
memo in its own transaction (`forget_window_weights`, transaction_memo.py). Another worker's
change is seen from the next transaction on, as a lock-free read saw it only from its next
statement before.

A write transaction also hands what it knew of a hall's weights to the next one of its process
that finds the chain head where it left it (carried_inputs.py): no event since, and every
change of these rows appends one or says it did not (`changed_without_event`). With one call
a transaction (a quiet hall, each clerk calling on their own) that is one read less a call.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import cast

from sqlalchemy import Table, bindparam, select
from sqlalchemy.orm import Session

from queue_server.services.prepared import PreparedRead
from queue_server.services.transaction_memo import transaction_memo
from queue_server.storage.tables import WindowService

_WS = cast(Table, WindowService.__table__)
# A call reads its own window's rows: read for the whole hall (240 rows in a 20-window hall
# serving 12 services), the weights were a fifth of a call's time when each call is a
# transaction of its own (issue 22). A transaction that calls at a second window (a batch of
# the hall writer, a simulated day) reads the whole hall at once instead, one read for all.
# Prepared (issue 22): the writers of these rows flush before they forget the memo, so the
# unit of work a prepared read bypasses has nothing of them pending.
_WINDOW_WEIGHTS = PreparedRead(
    select(_WS.c.service_code, _WS.c.weight).where(
        _WS.c.hall_id == bindparam("hall_id"), _WS.c.window_no == bindparam("window_no")
    )
)
_ALL_WEIGHTS = PreparedRead(
    select(_WS.c.window_no, _WS.c.service_code, _WS.c.weight).where(
        _WS.c.hall_id == bindparam("hall_id")
    )
)
_MEMO = "window_weights"


@dataclass
class _HallWeights:
    """What this transaction has read of one hall's weights, and what it took over."""

    windows: dict[int, dict[str, int]] = field(default_factory=dict)
    whole_hall: bool = False  # every window read: one missing serves nothing
    # Taken over from the transaction before (carried_inputs.py): not this transaction's own
    # reads, so a call at another window still reads one window, not the whole hall.
    carried: dict[int, dict[str, int]] = field(default_factory=dict)


def window_weights(session: Session, hall_id: str, window_no: int) -> Mapping[str, int]:
    """Service -> weight of one window (empty if it serves nothing); shared within the
    transaction, so read-only."""
    memo = transaction_memo(session, _MEMO)
    hall: _HallWeights = memo.setdefault(hall_id, _HallWeights())
    weights = hall.windows.get(window_no)
    if weights is not None:
        return weights
    weights = hall.carried.get(window_no)
    if weights is not None:
        return weights
    if hall.windows and not hall.whole_hall:
        hall.windows = {}
        for number, code, weight in _ALL_WEIGHTS.rows(session, {"hall_id": hall_id}):
            hall.windows.setdefault(number, {})[code] = weight
        hall.whole_hall = True
    if hall.whole_hall:
        return hall.windows.setdefault(window_no, {})
    rows = _WINDOW_WEIGHTS.rows(session, {"hall_id": hall_id, "window_no": window_no})
    weights = hall.windows[window_no] = {code: weight for code, weight in rows}
    return weights


def forget_window_weights(session: Session) -> None:
    """For the writers of `window_services`, once their change is flushed."""
    transaction_memo(session, _MEMO).clear()


def weights_known(session: Session, hall_id: str) -> dict[int, dict[str, int]]:
    """Every window's weights this transaction knows, read or taken over (carried_inputs)."""
    hall: _HallWeights | None = transaction_memo(session, _MEMO).get(hall_id)
    if hall is None:
        return {}
    if hall.whole_hall:
        return dict(hall.windows)
    return hall.carried | hall.windows


def weights_read(session: Session, hall_id: str) -> bool:
    """Whether this transaction has read any of the hall's weights yet."""
    hall: _HallWeights | None = transaction_memo(session, _MEMO).get(hall_id)
    return hall is not None and bool(hall.windows or hall.carried)


def take_over_weights(session: Session, hall_id: str, known: dict[int, dict[str, int]]) -> None:
    """The weights the transaction before knew at the head this one now holds."""
    memo = transaction_memo(session, _MEMO)
    hall: _HallWeights = memo.setdefault(hall_id, _HallWeights())
    for number, weights in known.items():
        hall.carried.setdefault(number, weights)
