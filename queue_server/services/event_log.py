"""Appending to and reading from the hall's event log (the backbone, ARCHITECTURE.md)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from queue_server.domain.event_chain import (
    ChainBreak,
    ChainedEvent,
    epoch_seal,
    event_hash,
    first_broken,
    seal_matches,
)
from queue_server.domain.events import EventKind, check_payload, event_kind
from queue_server.domain.free_text import masked_payload
from queue_server.services.carried_inputs import CHAIN_HEADS, carried_store
from queue_server.services.database import Work
from queue_server.services.errors import NotFound
from queue_server.services.issue_inputs import (
    forget_after,
    forget_queue_sizes_after,
)
from queue_server.services.prepared import PreparedRead, PreparedWrite
from queue_server.services.transaction_memo import transaction_memo
from queue_server.storage.tables import Event, Hall

NOTIFY_CHANNEL = "hallq_events"


@dataclass(frozen=True)
class Actor:
    """Who caused a change: a clerk's account and/or a device (kiosk, display)."""

    clerk: str | None = None
    device: str | None = None


SYSTEM = Actor()


@dataclass(frozen=True, slots=True)
class AppendedEvent:
    """The row append_event wrote, as written: a record, not an object in the session (an
    ORM Event built for every append cost about 2 % of a simulated month)."""

    hall_id: str
    seq: int
    kind: str
    at: datetime
    ticket_id: str | None
    window_no: int | None
    clerk_id: str | None
    device_id: str | None
    payload: dict[str, Any]
    prev_hash: str
    hash: str


_HALLS = cast(Table, Hall.__table__)
_EVENTS = cast(Table, Event.__table__)
# Built once: the append runs in every write transaction of the hall.
# Read once a transaction, on every write of the hot path (issue 22): prepared, and run after
# the session is flushed below, so the unit of work it bypasses has nothing pending.
_HEAD = (
    select(_HALLS.c.last_seq, _HALLS.c.last_hash, _HALLS.c.chain_keyed_from)
    .where(_HALLS.c.id == bindparam("hall_id"))
    .with_for_update(key_share=True)
)
_LOCK_HEAD = PreparedRead(_HEAD)
# A hall's gate (hall_lock.hold_hall) and its head in one round trip: PostgreSQL evaluates the
# output columns in the scan, below the row lock, so the gate is taken first, as before, and a
# transaction waits its turn on the gate before it queues on the head.
_GATE_THEN_HEAD = PreparedRead(_HEAD.add_columns(func.pg_advisory_xact_lock(bindparam("gate"))))
# The columns an append writes (every one but the row's surrogate id).
EVENT_COLUMNS = (
    "hall_id",
    "seq",
    "kind",
    "at",
    "ticket_id",
    "window_no",
    "clerk_id",
    "device_id",
    "payload",
    "prev_hash",
    "hash",
)


# The event's INSERT moves the head in the same statement: on PostgreSQL a data-modifying CTE
# (run once whether or not it is read), on SQLite, which has no UPDATE in WITH, a trigger
# (migration 0015). One statement an event instead of two.
def _insert_and_move_head(notify: bool) -> PreparedWrite:
    """`notify`: the CTE's RETURNING also sends the transaction's notice (pg_notify), one
    round trip less on the first append of each transaction (issue 22). A data-modifying
    CTE runs to completion, RETURNING included, though nothing reads it; the notice is
    delivered at COMMIT like any other (tests/live: workers hear each other's events)."""
    returning: list[Any] = [_HALLS.c.id]
    keys = [f"e_{name}" for name in EVENT_COLUMNS]
    if notify:
        returning.append(func.pg_notify(bindparam("e_channel"), bindparam("e_message")))
        keys += ["e_channel", "e_message"]
    return PreparedWrite(
        insert(_EVENTS)
        .values({_EVENTS.c[name]: bindparam(f"e_{name}") for name in EVENT_COLUMNS})
        .add_cte(
            update(_HALLS)
            .where(_HALLS.c.id == bindparam("e_hall_id"))
            .values(last_seq=bindparam("e_seq"), last_hash=bindparam("e_hash"))
            .returning(*returning)
            .cte("moved_head")
        ),
        keys,
    )


_INSERT_AND_MOVE_HEAD = _insert_and_move_head(notify=False)
_INSERT_MOVE_HEAD_AND_NOTIFY = _insert_and_move_head(notify=True)
_INSERT_EVENT = PreparedWrite(insert(_EVENTS), EVENT_COLUMNS)
_KEY_EPOCH = (
    update(_HALLS)
    .where(_HALLS.c.id == bindparam("hall_id"))
    .values(chain_keyed_from=bindparam("keyed_from"), chain_epoch_seal=bindparam("seal"))
)


@dataclass(frozen=True)
class _Head:
    seq: int
    hash: str
    keyed_from: int | None
    appended: bool = False  # this transaction has appended to the hall (its notice is sent)


# The chain heads this transaction has locked and moved, by hall (transaction_memo.py): after
# the first append of a transaction, later ones need neither LOCK_HEAD nor its round trip.
# Each event's INSERT still moves the head, so the hall row is always the true head and a
# forgotten entry is simply read (and locked) again.
_HEADS = CHAIN_HEADS


def forget_chain_heads(session: Session) -> None:
    """For code that moves a hall's chain head by itself (demo/month.py) in a transaction
    that may also append."""
    transaction_memo(session, _HEADS).clear()


def _lock_head(session: Session, hall_id: str, gate: int | None = None) -> _Head:
    if gate is None:
        rows = _LOCK_HEAD.rows(session, {"hall_id": hall_id})
    else:
        rows = [
            row[:3] for row in _GATE_THEN_HEAD.rows(session, {"gate": gate, "hall_id": hall_id})
        ]
    if not rows:
        raise NotFound(f"unknown hall {hall_id!r}")
    return _Head(*rows[0])


def lock_chain_head(session: Session, hall_id: str, gate: int | None = None) -> bool:
    """Takes the hall's chain head now, before the transaction's other locks (on PostgreSQL,
    hall_lock.hold_hall); the appends that follow use it. `gate`: an advisory lock's key
    (PostgreSQL only), taken first in the same statement. False if this transaction held
    the head already: nothing was taken, the gate neither."""
    heads: dict[str, _Head] = transaction_memo(session, _HEADS)
    if hall_id in heads:
        return False
    head = heads[hall_id] = _lock_head(session, hall_id, gate)
    store = carried_store(session)
    if store is not None:
        store.take_over(session, hall_id, head.seq, head.hash)
    return True


def append_event(
    work: Work,
    hall_id: str,
    kind: EventKind | str,
    at: datetime,
    *,
    actor: Actor = SYSTEM,
    ticket_id: str | None = None,
    window: int | None = None,
    payload: Mapping[str, Any] | None = None,
) -> AppendedEvent:
    """Appends one event of a catalogued kind (domain/events.py; anything else raises
    UnknownEventKind before a row is touched) whose payload has every key its kind's type
    requires (else IncompletePayload, also before a row is touched)."""
    catalogued = event_kind(kind)
    check_payload(catalogued, payload or {})
    kind = catalogued.value
    session = work.session
    forget_after(session, kind, hall_id, (payload or {}).get("service"))
    forget_queue_sizes_after(session, kind)
    heads: dict[str, _Head] = transaction_memo(session, _HEADS)
    if session.new or session.dirty or session.deleted:
        if heads and any(
            isinstance(o, Hall) for o in (*session.new, *session.dirty, *session.deleted)
        ):
            # A hall row changed through the ORM: its head is read again below.
            heads.clear()
        # The statements below bypass the unit of work: what the caller changed through the
        # ORM is written first, so the event never precedes the change it records.
        session.flush()
    # The hall row is the head of the chain. Locking it serialises appends, so sequence
    # numbers have no gaps and each row hashes its true predecessor. On PostgreSQL a
    # transaction that locks the hall's counters, tickets or windows took it before them
    # (hall_lock.hold_hall); any other takes it here, after the locks of its own rows.
    # FOR NO KEY UPDATE, not FOR UPDATE: rows that reference the hall (tickets, windows)
    # hold KEY SHARE locks on it, and two appenders each waiting out the other's KEY SHARE
    # under FOR UPDATE deadlock on PostgreSQL.
    head = heads.get(hall_id)
    if head is None:
        head = _lock_head(session, hall_id)
    seq = head.seq + 1
    if work.chain_key is None:
        raise RuntimeError("this writer has no chain key; it cannot append to the event log")
    keyed_from = head.keyed_from
    if keyed_from is None:
        # The first keyed write: a new hall (seq 1) or one whose older events are unkeyed.
        session.execute(
            _KEY_EPOCH,
            {
                "hall_id": hall_id,
                "keyed_from": seq,
                "seal": epoch_seal(work.chain_key, hall_id, seq),
            },
        )
        keyed_from = seq
    # A clerk's free-text note may quote a phone or ID number; the log is public and permanent.
    body = masked_payload(payload or {})
    chained = ChainedEvent(
        hall=hall_id,
        seq=seq,
        kind=kind,
        at=at,
        ticket_id=ticket_id,
        window=window,
        clerk=actor.clerk,
        device=actor.device,
        payload=body,
    )
    digest = event_hash(head.hash, chained, work.chain_key)
    values: dict[str, Any] = {
        "hall_id": hall_id,
        "seq": seq,
        "kind": kind,
        "at": at,
        "ticket_id": ticket_id,
        "window_no": window,
        "clerk_id": actor.clerk,
        "device_id": actor.device,
        "payload": body,
        "prev_hash": head.hash,
        "hash": digest,
    }
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:
        params = {f"e_{name}": v for name, v in values.items()}
        if head.appended:
            _INSERT_AND_MOVE_HEAD.run(session, params)
        else:
            # Delivered at COMMIT to every worker process listening (ARCHITECTURE.md, event
            # bus). Listeners take it as "this hall has news" and read the log from where
            # they are, so one a transaction (sent with its first event) is enough; a
            # rolled-back SAVEPOINT drops its notice and its head together, and the next
            # append sends both again.
            params["e_channel"] = NOTIFY_CHANNEL
            params["e_message"] = f"{hall_id}:{seq}"
            _INSERT_MOVE_HEAD_AND_NOTIFY.run(session, params)
    else:
        # The INSERT's trigger moves the head (migration 0015).
        _INSERT_EVENT.run(session, values)
    heads[hall_id] = _Head(seq, digest, keyed_from, appended=True)
    loaded = session.identity_map.get(identity_key(Hall, hall_id))
    if loaded is not None:
        # A Hall the caller loaded would show the old head; the next access reloads it.
        session.expire(loaded)
    work.appended.append((hall_id, seq))
    # The row is already written.
    return AppendedEvent(**values)


def events_after(session: Session, hall_id: str, after_seq: int, limit: int = 1000) -> list[Event]:
    return list(
        session.scalars(
            select(Event)
            .where(Event.hall_id == hall_id, Event.seq > after_seq)
            .order_by(Event.seq)
            .limit(limit)
        )
    )


def _chain_rows(session: Session, hall_id: str) -> Iterator[tuple[ChainedEvent, str, str]]:
    rows = session.execute(
        select(Event).where(Event.hall_id == hall_id).order_by(Event.seq)
    ).scalars()
    for row in rows.yield_per(2000):
        yield (
            ChainedEvent(
                hall=row.hall_id,
                seq=row.seq,
                kind=row.kind,
                at=row.at,
                ticket_id=row.ticket_id,
                window=row.window_no,
                clerk=row.clerk_id,
                device=row.device_id,
                payload=row.payload,
            ),
            row.prev_hash,
            row.hash,
        )


def verify_chain(
    session: Session, hall_id: str, key: bytes | None = None
) -> tuple[int, ChainBreak | None]:
    """(events checked, first break or None). A log cut short at its end is a break too.

    Without the chain key, the keyed part is checked for its links only (docs/reliability.md)."""
    hall = session.get(Hall, hall_id)
    if hall is None:
        raise NotFound(f"unknown hall {hall_id!r}")
    keyed_from = hall.chain_keyed_from
    if (
        key is not None
        and keyed_from is not None
        and not seal_matches(key, hall_id, keyed_from, hall.chain_epoch_seal)
    ):
        count = session.scalar(select(func.count()).where(Event.hall_id == hall_id)) or 0
        reason = f"the key epoch (keyed from event {keyed_from}) is not sealed by this key"
        return count, ChainBreak(keyed_from, reason)
    broken = first_broken(_chain_rows(session, hall_id), key=key, keyed_from=keyed_from)
    count = session.scalar(select(func.count()).where(Event.hall_id == hall_id)) or 0
    if broken is None:
        last = session.scalar(select(func.max(Event.seq)).where(Event.hall_id == hall_id)) or 0
        if last < hall.last_seq:
            broken = ChainBreak(last + 1, f"events {last + 1}..{hall.last_seq} are missing")
        elif last and hall.last_hash != session.scalar(
            select(Event.hash).where(Event.hall_id == hall_id, Event.seq == last)
        ):
            broken = ChainBreak(last, "the last event does not match the hall's chain head")
    return count, broken
