"""Keeping a month's pass between runs and finding it again (domain/month_checkpoint.py).

A cache of the measures' own work: a kept state that does not match (other code, other
inputs, another key, unreadable) is passed over and the month is read whole, as before, and
a state that cannot be written is only logged. Neither ever changes a result."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Table, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from queue_server.domain.month_checkpoint import (
    PASS_VERSION,
    CheckpointRefused,
    freeze,
    thaw,
)
from queue_server.domain.month_pass import MonthAccumulator, MonthContext
from queue_server.services.database import Database
from queue_server.services.errors import Unavailable
from queue_server.storage.report_tables import MonthPassCheckpoint

log = logging.getLogger("hallq.reports")

_KEPT = cast(Table, MonthPassCheckpoint.__table__)


@dataclass(frozen=True)
class Frozen:
    """A state ready to be kept: taken before `result()`, written after the read."""

    hall_id: str
    month: str
    inputs_digest: str
    last_seq: int
    events: int
    state: bytes
    signature: str


def resume(
    session: Session, key: bytes, context: MonthContext, month: str, digest: str
) -> MonthAccumulator | None:
    """The month's kept pass, continued under `context`; None when there is none to use."""
    row = session.execute(
        select(
            MonthPassCheckpoint.pass_version,
            MonthPassCheckpoint.inputs_digest,
            MonthPassCheckpoint.state,
            MonthPassCheckpoint.signature,
        ).where(
            MonthPassCheckpoint.hall_id == context.hall_id,
            MonthPassCheckpoint.month == month,
        )
    ).one_or_none()
    if row is None or row.pass_version != PASS_VERSION or row.inputs_digest != digest:
        return None
    try:
        return thaw(row.state, row.signature, key, context)
    except CheckpointRefused as refused:
        log.warning("hall %s, %s: kept month pass not used: %s", context.hall_id, month, refused)
        return None


def frozen(
    accumulator: MonthAccumulator, key: bytes, hall_id: str, month: str, digest: str
) -> Frozen:
    state, signature = freeze(accumulator, key)
    return Frozen(
        hall_id, month, digest, accumulator.last_seq, accumulator.events, state, signature
    )


def keep(db: Database, kept: Frozen, now: datetime) -> None:
    """Keep the month's pass, unless the one kept already is further along.

    A compare-and-set in one statement: two runs of a month (two workers, the nightly timer
    and a supervisor's re-run) finish in either order, and a slow run that read fewer events
    must not set the kept pass back for every run after it. A kept pass of another version or
    other inputs is always replaced; one at the same position too, so that a state found
    unusable (altered bytes, another key) is mended by the run that read the month whole."""
    values = {
        "hall_id": kept.hall_id,
        "month": kept.month,
        "pass_version": PASS_VERSION,
        "inputs_digest": kept.inputs_digest,
        "last_seq": kept.last_seq,
        "events": kept.events,
        "state": kept.state,
        "signature": kept.signature,
        "saved_at": now,
    }
    dialect = postgresql if db.is_postgres else sqlite
    new = dialect.insert(_KEPT).values(**values)
    stored = _KEPT.c
    behind = (
        (stored.pass_version != new.excluded.pass_version)
        | (stored.inputs_digest != new.excluded.inputs_digest)
        | (stored.last_seq <= new.excluded.last_seq)
    )
    statement = new.on_conflict_do_update(
        index_elements=[stored.hall_id, stored.month],
        set_={name: new.excluded[name] for name in values if name not in ("hall_id", "month")},
        where=behind,
    )
    try:
        with db.write() as work:
            work.session.execute(statement)
    except (SQLAlchemyError, Unavailable) as failed:
        log.warning("hall %s, %s: month pass not kept: %s", kept.hall_id, kept.month, failed)
