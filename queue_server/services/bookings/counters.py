"""Booking volume counters shared by every server process: one row per (hall, kind of key,
keyed hash of the key, window start), changed only by compare-and-set."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from queue_server.domain.booking_limits import LimitKind
from queue_server.storage.booking_tables import BookingCounter
from queue_server.storage.engine import rows_changed


def count_one(
    session: Session,
    hall_id: str,
    kind: LimitKind,
    key_hash: str,
    start: datetime,
    limit: int,
) -> bool:
    """Count one booking (or attempt) for the key in the window; False when it is at the limit.

    The race stopped here is check-then-act across processes: two workers (or two hosts on
    one PostgreSQL) each reading `limit - 1` and each admitting one more. The UPDATE's
    `count < limit` is evaluated on the row as the other writer committed it (PostgreSQL
    re-checks the WHERE after waiting for the row lock; SQLite admits one writer at a time),
    so exactly `limit` succeed. The INSERT ... ON CONFLICT DO NOTHING lets the first two
    callers of a window both go on to the UPDATE instead of one failing on the primary key.
    """
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(BookingCounter)
        .values(hall_id=hall_id, kind=kind.value, key_hash=key_hash, window_start=start, count=0)
        .on_conflict_do_nothing(index_elements=["hall_id", "kind", "key_hash", "window_start"])
    )
    counted = session.execute(
        update(BookingCounter)
        .where(
            BookingCounter.hall_id == hall_id,
            BookingCounter.kind == kind.value,
            BookingCounter.key_hash == key_hash,
            BookingCounter.window_start == start,
            BookingCounter.count < limit,
        )
        .values(count=BookingCounter.count + 1)
        .execution_options(synchronize_session=False)
    )
    return rows_changed(counted) == 1


def purge_before(session: Session, hall_id: str, before: datetime) -> int:
    """Delete the counters of windows that started before `before` (they limit nothing now)."""
    result = session.execute(
        delete(BookingCounter)
        .where(BookingCounter.hall_id == hall_id, BookingCounter.window_start < before)
        .execution_options(synchronize_session=False)
    )
    return rows_changed(result)
