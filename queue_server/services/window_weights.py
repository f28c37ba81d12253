"""Which services each window serves, and with what weight: read once a transaction.

A batch of the hall writer, or a simulated day, calls next at every window and estimates every
ticket with these rows, while only an arrangement change writes them; that change forgets the
memo in its own transaction (`forget_window_weights`, transaction_memo.py). Another worker's
change is seen from the next transaction on, as a lock-free read saw it only from its next
statement before.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

from sqlalchemy import Table, bindparam, select
from sqlalchemy.orm import Session

from queue_server.services.transaction_memo import transaction_memo
from queue_server.storage.tables import WindowService

_WS = cast(Table, WindowService.__table__)
_ALL_WEIGHTS = select(_WS.c.window_no, _WS.c.service_code, _WS.c.weight).where(
    _WS.c.hall_id == bindparam("hall_id")
)
_MEMO = "window_weights"


def all_window_weights(session: Session, hall_id: str) -> Mapping[int, Mapping[str, int]]:
    """Window -> service -> weight for every window of the hall; shared within the
    transaction, so read-only."""
    memo = transaction_memo(session, _MEMO)
    weights: dict[int, dict[str, int]] | None = memo.get(hall_id)
    if weights is None:
        weights = {}
        for number, code, weight in session.execute(_ALL_WEIGHTS, {"hall_id": hall_id}):
            weights.setdefault(number, {})[code] = weight
        memo[hall_id] = weights
    return weights


def forget_window_weights(session: Session) -> None:
    """For the writers of `window_services`, once their change is flushed."""
    transaction_memo(session, _MEMO).clear()
