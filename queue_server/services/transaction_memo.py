"""What a write transaction already knows about rows it holds locked, kept on its session.

A transaction that has locked a hall's chain head or a ticket keeps those locks until it
ends, so a second look at the same row needs no second SELECT ... FOR UPDATE. The memo lives
in `Session.info` and is forgotten when the outermost transaction ends and whenever a
rollback happens (a rolled-back SAVEPOINT takes its writes and, on PostgreSQL, the locks it
took with it); what is forgotten is simply read, and locked, again.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

_KEY = "hallq.transaction_memo"


def transaction_memo(session: Session, name: str) -> dict[str, Any]:
    """The memo called `name` of the session's current transaction (created empty)."""
    memos: dict[str, dict[str, Any]] = session.info.setdefault(_KEY, {})
    memo = memos.get(name)
    if memo is None:
        memo = memos[name] = {}
    return memo


def forget(session: Session) -> None:
    """For code that changes memoised rows by other means in the same transaction."""
    session.info.pop(_KEY, None)


@event.listens_for(Session, "after_soft_rollback")
def _forget_on_rollback(session: Session, previous: SessionTransaction) -> None:
    forget(session)


@event.listens_for(Session, "after_transaction_end")
def _forget_on_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        forget(session)
