"""Queries the queue's transactions share: claims, counters, locks and queue reads.

Storage detail only; which ticket is next and what may happen to it is decided in
queue_server.domain.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any, Literal, NamedTuple, cast

from sqlalchemy import (
    ARRAY,
    BigInteger,
    ColumnElement,
    String,
    Table,
    and_,
    bindparam,
    false,
    func,
    insert,
    literal_column,
    null,
    or_,
    select,
    true,
    type_coerce,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key
from sqlalchemy.sql import Select

from queue_server.domain.call_policy import CallPolicy, Candidate, WindowServices, is_tier_zero
from queue_server.domain.estimate import capacity_of
from queue_server.domain.tickets import Action, Priority, TicketState, move_of
from queue_server.services.errors import NotFound
from queue_server.services.hall_lock import hold_hall
from queue_server.services.halls import HallContext
from queue_server.services.issue_inputs import left_the_queue, queue_sizes, remembered
from queue_server.services.prepared import PreparedRead
from queue_server.services.transaction_memo import transaction_memo
from queue_server.services.window_weights import window_weights
from queue_server.storage.tables import (
    AT_WINDOW_VALUES,
    Counter,
    Ticket,
    TicketRow,
    Window,
    WindowService,
)

HANDLING_SAMPLES = 30


_TICKETS = cast(Table, Ticket.__table__)
# Tickets this transaction holds locked, by id (lock_ticket; transaction_memo.py).
_LOCKED_TICKETS = "locked_tickets"
# Built once: they run on every call.
_WAITING_ONE = (_TICKETS.c.id == bindparam("tid"), _TICKETS.c.state == TicketState.WAITING.value)
_CALLED = {
    "state": TicketState.CALLED.value,
    "window_no": bindparam("window"),
    "called_at": bindparam("at"),
}
_CLAIM = PreparedRead(update(_TICKETS).where(*_WAITING_ONE).values(_CALLED).returning(*_TICKETS.c))
# PostgreSQL: the row taken FOR UPDATE SKIP LOCKED in the same statement (one round trip).
_CLAIM_UNLESS_LOCKED = PreparedRead(
    update(_TICKETS)
    .where(
        _TICKETS.c.id
        == select(_TICKETS.c.id)
        .where(*_WAITING_ONE)
        .with_for_update(skip_locked=True)
        .scalar_subquery(),
        _TICKETS.c.state == TicketState.WAITING.value,
    )
    .values(_CALLED)
    .returning(*_TICKETS.c)
)


def claim_and_call(
    session: Session, ticket_id: str, window_no: int, at: datetime
) -> TicketRow | None:
    """Compare-and-set: call the ticket to the window only if it is still waiting; the ticket
    as called (not attached to the session), or None when another window got it first.

    This is what stops two windows that picked the same ticket at the same moment from both
    calling it: on PostgreSQL the UPDATE takes the row with FOR UPDATE SKIP LOCKED and
    re-checks the state; on SQLite the whole transaction already holds the write lock (BEGIN
    IMMEDIATE). (Every transaction that locks a ticket holds its hall first, hold_hall, so a
    call meets no ticket locked by another; SKIP LOCKED keeps the claim from ever waiting on
    one with the chain head held, should a lock come to be taken some other way.)
    """
    postgres = session.get_bind().dialect.name == "postgresql"
    claim = _CLAIM_UNLESS_LOCKED if postgres else _CLAIM
    called = claim.rows(session, {"tid": ticket_id, "window": window_no, "at": at})
    if not called:
        return None
    # Changed by a Core UPDATE, behind the back of any object lock_ticket kept for it.
    transaction_memo(session, _LOCKED_TICKETS).pop(ticket_id, None)
    row = TicketRow(*called[0])
    if row.target_window is None:
        left_the_queue(session, row.hall_id, row.service_code)
    return row


@functools.cache
def _move_statement(action: Action, stamp: str) -> PreparedRead:
    sources, target = move_of(action)
    t = _TICKETS.c
    # The row is found by its key alone; hall and window are checked on it, wrapped so that no
    # index can be sought by them. PostgreSQL's generic plan for this prepared statement priced
    # the indexes that lead with (hall, window) or (hall, state) like the key: a no-show walked
    # every ticket the window had finished (356 rows at the demo month's end, 1.6 ms), a start
    # the dead versions of the hall's called tickets (0.29 ms on average over the month, 0.10
    # by the key).
    return PreparedRead(
        update(_TICKETS)
        .where(
            t.id == bindparam("tid"),
            func.coalesce(t.hall_id, "") == bindparam("hall"),
            func.coalesce(t.window_no, 0) == bindparam("window"),
            or_(*(t.state == source.value for source in sorted(sources, key=str))),
        )
        .values({t.state: target.value, t[stamp]: bindparam("at")})
        .returning(*_TICKETS.c)
    )


def move_at_window(
    session: Session,
    hall_id: str,
    window_no: int,
    ticket_id: str,
    action: Action,
    stamp: str,
    at: datetime,
) -> TicketRow | None:
    """Compare-and-set for a plain move at a window (no-show, start, hold): one UPDATE that
    moves the ticket, and stamps `stamp` with `at`, only if it is in this hall, at this window
    and in a state the move is taken from; the ticket as moved (not attached to the session).

    None when it is not (the caller then locks the ticket and its checks say why), and also
    when this transaction already holds the ticket as an object, which an UPDATE behind its
    back would leave stale. Reading the row into the session first and writing it after cost
    every move a statement more and the ORM's loading (issue 22)."""
    if session.identity_map.get(identity_key(Ticket, ticket_id)) is not None:
        return None
    hold_hall(session, hall_id)
    moved = _move_statement(action, stamp).rows(
        session, {"tid": ticket_id, "hall": hall_id, "window": window_no, "at": at}
    )
    if not moved:
        return None
    transaction_memo(session, _LOCKED_TICKETS).pop(ticket_id, None)
    return TicketRow(*moved[0])


_COUNTERS = cast(Table, Counter.__table__)
_BUMP = PreparedRead(
    update(_COUNTERS)
    .where(
        _COUNTERS.c.hall_id == bindparam("b_hall"),
        _COUNTERS.c.business_day == bindparam("b_day"),
        _COUNTERS.c.key == bindparam("b_key"),
    )
    .values(value=_COUNTERS.c.value + bindparam("b_by"))
    .returning(_COUNTERS.c.value)
)
_START_COUNTER = {
    dialect: insert(_COUNTERS)
    .values(
        hall_id=bindparam("b_hall"),
        business_day=bindparam("b_day"),
        key=bindparam("b_key"),
        value=0,
    )
    .on_conflict_do_nothing(index_elements=["hall_id", "business_day", "key"])
    for dialect, insert in (("postgresql", pg_insert), ("sqlite", sqlite_insert))
}


def bump_counter(session: Session, hall_id: str, day: date, key: str, by: int = 1) -> int:
    """Next value of a per-day counter, created at 1 on the day's first use; `by` > 1
    takes a block of values at once (a kiosk's lease) and returns the block's last.

    Never max()+1: the UPDATE takes the counter row's lock, so concurrent issuers queue on
    it and each gets its own value. Only the day's first ticket pays for the insert.
    """
    hold_hall(session, hall_id)
    params = {"b_hall": hall_id, "b_day": day, "b_key": key, "b_by": by}
    bumped = _BUMP.rows(session, params)
    if not bumped:
        session.execute(_START_COUNTER[session.get_bind().dialect.name], params)
        bumped = _BUMP.rows(session, params)
    [(value,)] = bumped
    return int(value)


def lock_window(session: Session, hall_id: str, window_no: int) -> Window:
    hold_hall(session, hall_id)
    window = session.execute(
        select(Window)
        .where(Window.hall_id == hall_id, Window.number == window_no)
        .with_for_update()
    ).scalar_one_or_none()
    if window is None:
        raise NotFound(f"unknown window {window_no} in hall {hall_id}")
    return window


# Built once: a ticket is locked by every move at a window and by every rating.
_LOCK_TICKET = select(Ticket).where(Ticket.id == bindparam("tid")).with_for_update()


def lock_ticket(session: Session, hall_id: str, ticket_id: str) -> Ticket:
    """The ticket as an object in the session, its row locked FOR UPDATE (on PostgreSQL).

    A ticket this transaction has already locked is the object already in the session: the
    lock holds to the end of the transaction (transaction_memo.py), and a second SELECT
    would hand back that same object without refreshing it anyway. The only Core UPDATE of
    tickets (claim_and_call) forgets the ticket it changes."""
    hold_hall(session, hall_id)
    locked = transaction_memo(session, _LOCKED_TICKETS)
    row: Ticket | None = locked.get(ticket_id)
    if row is None or session.identity_map.get(identity_key(Ticket, ticket_id)) is not row:
        row = session.execute(_LOCK_TICKET, {"tid": ticket_id}).scalar_one_or_none()
    if row is None or row.hall_id != hall_id:
        raise NotFound(f"no ticket with id {ticket_id!r} in hall {hall_id}")
    # Held here, the object stays in the session's (weak) identity map until the end of the
    # transaction, and the next lock of this ticket finds it there.
    locked[ticket_id] = row
    return row


_WINDOWS = cast(Table, Window.__table__)


class ReadyWindow(NamedTuple):
    number: int
    name_zh: str
    is_open: bool
    paused: bool
    pause_reason: str | None
    busy_number: str | None  # the ticket at the window, if any
    busy_state: str | None


def ready_window_row(session: Session, hall_id: str, window_no: int) -> ReadyWindow:
    """The window a call is made at, its row locked (calls at one window take turns), with
    the ticket at it if there is one, in one round trip on every call. A Core read: it does
    not flush the session, so call it before changing anything."""
    hold_hall(session, hall_id)
    rows = _READY_WINDOW.rows(session, {"hall_id": hall_id, "window": window_no})
    if not rows:
        raise NotFound(f"unknown window {window_no} in hall {hall_id}")
    return ReadyWindow(*rows[0])


def at_a_window(state: Any) -> ColumnElement[bool]:
    """`state IN ('called', 'serving')` with the states as literals, as PostgreSQL's partial
    index `ix_tickets_at_window` says it: as bound values, a generic plan could not use it."""
    return cast(
        ColumnElement[bool],
        state.in_([literal_column(f"'{value}'") for value in AT_WINDOW_VALUES]),
    )


# The window a call is made at and the ticket at it, if any (ready_window_row).
_READY_WINDOW = PreparedRead(
    select(
        _WINDOWS.c.number,
        _WINDOWS.c.name_zh,
        _WINDOWS.c.is_open,
        _WINDOWS.c.paused,
        _WINDOWS.c.pause_reason,
        _TICKETS.c.number.label("busy_number"),
        _TICKETS.c.state.label("busy_state"),
    )
    .select_from(
        _WINDOWS.outerjoin(
            _TICKETS,
            and_(
                _TICKETS.c.hall_id == _WINDOWS.c.hall_id,
                _TICKETS.c.window_no == _WINDOWS.c.number,
                at_a_window(_TICKETS.c.state),
            ),
        )
    )
    .where(_WINDOWS.c.hall_id == bindparam("hall_id"), _WINDOWS.c.number == bindparam("window"))
    .limit(1)
    .with_for_update(of=_WINDOWS)
)
_CURRENT = select(_TICKETS).where(
    _TICKETS.c.hall_id == bindparam("hall_id"),
    _TICKETS.c.window_no == bindparam("window"),
    at_a_window(_TICKETS.c.state),
)


def current_ticket(session: Session, hall_id: str, window_no: int) -> Ticket | None:
    return session.scalars(
        select(Ticket).where(
            Ticket.hall_id == hall_id,
            Ticket.window_no == window_no,
            at_a_window(Ticket.state),
        )
    ).first()


_WS = cast(Table, WindowService.__table__)


def window_services(session: Session, hall_id: str, window_no: int) -> WindowServices:
    return WindowServices(
        number=window_no, weights=dict(window_weights(session, hall_id, window_no))
    )


CANDIDATE_COLUMNS = (
    Ticket.id,
    Ticket.number,
    Ticket.service_code,
    Ticket.priority,
    Ticket.order_at,
    Ticket.target_window,
)


def to_candidate(row: Any) -> Candidate:
    return Candidate(
        ticket_id=row.id,
        number=row.number,
        service=row.service_code,
        priority=Priority(row.priority),
        order_at=row.order_at,
        target_window=row.target_window,
    )


def waiting_candidates(
    session: Session, hall_id: str, services: WindowServices, window_no: int
) -> list[Candidate]:
    # Plain columns, not ORM objects: this runs on every call and may see hundreds of rows.
    rows = session.execute(
        select(*CANDIDATE_COLUMNS).where(
            Ticket.hall_id == hall_id,
            Ticket.state == TicketState.WAITING.value,
            (Ticket.service_code.in_(list(services.weights)) & Ticket.target_window.is_(None))
            | (Ticket.target_window == window_no),
        )
    ).all()
    return [to_candidate(r) for r in rows]


class _CandidateRow(NamedTuple):
    """A row of `_CANDIDATES`, for `to_candidate`."""

    id: str
    number: str
    service_code: str
    priority: str
    order_at: datetime
    target_window: int | None


_CANDIDATES = (
    _TICKETS.c.id,
    _TICKETS.c.number,
    _TICKETS.c.service_code,
    _TICKETS.c.priority,
    _TICKETS.c.order_at,
    _TICKETS.c.target_window,
)
_PINNED = select(*_CANDIDATES).where(
    _TICKETS.c.hall_id == bindparam("hall_id"),
    _TICKETS.c.state == TicketState.WAITING.value,
    _TICKETS.c.target_window == bindparam("window"),
)
# SQLite, without statistics, read the tickets sent to a window by name through the covering
# `ix_tickets_queue` (every waiting ticket of the hall: 0.6 ms with 6,000 waiting, most of a
# call) instead of seeking `ix_tickets_pinned`. Told that few tickets match, it seeks (4 us).
_PINNED_SQLITE = select(*_CANDIDATES).where(
    _TICKETS.c.hall_id == bindparam("hall_id"),
    _TICKETS.c.state == TicketState.WAITING.value,
    func.likelihood(_TICKETS.c.target_window == bindparam("window"), literal_column("0.0001")),
)


@functools.cache
def _queue_heads_statement(codes: int) -> PreparedRead:
    """The heads of a window's queues for a window serving `codes` services: one arm per
    (service, priority class), each the first `depth` rows of `ix_tickets_heads` (a seek and
    a short walk), and every ticket sent to this window by name (they are few).
    Built once per number of services, values bound at each call."""
    t = _TICKETS.c
    arms: list[Any] = []
    for i in range(codes):
        for priority in Priority:
            head = (
                select(*_CANDIDATES)
                .where(
                    t.hall_id == bindparam("hall_id"),
                    t.state == TicketState.WAITING.value,
                    t.service_code == bindparam(f"code{i}"),
                    t.priority == priority.value,
                    t.target_window.is_(None),
                )
                .order_by(t.order_at, t.number)
                .limit(bindparam("depth"))
                .subquery()
            )
            arms.append(select(head))
    return PreparedRead(union_all(*arms, _PINNED_SQLITE) if arms else _PINNED_SQLITE)


def _lateral_heads_statement() -> Any:
    """The same heads on PostgreSQL, one statement for every window: the services and the
    priority classes come as two arrays and one LATERAL arm reads each pair's head.

    The UNION ALL above has an arm per pair (36 for a window serving 12 services), and
    PostgreSQL planned it anew on each call: 4-6 ms of planning for 1 ms of execution, the
    largest part of a call there (issue 22; SQLite compiles it in a fraction of that). This
    form plans in a fraction of a millisecond whatever the number of services, and its text
    does not change with them, so the driver's prepared statement serves every window.
    """
    t = _TICKETS.c
    codes = (
        func.unnest(bindparam("codes", type_=ARRAY(String)))
        .table_valued("code")
        .render_derived(name="wanted_service")
    )
    classes = (
        func.unnest(bindparam("classes", type_=ARRAY(String)))
        .table_valued("priority")
        .render_derived(name="wanted_class")
    )
    head = (
        select(*_CANDIDATES)
        .where(
            t.hall_id == bindparam("hall_id"),
            t.state == TicketState.WAITING.value,
            t.service_code == codes.c.code,
            t.priority == classes.c.priority,
            t.target_window.is_(None),
        )
        .order_by(t.order_at, t.number)
        .limit(bindparam("depth"))
        .lateral("head")
    )
    heads = select(*head.c).select_from(codes.join(classes, true()).join(head, true()))
    return union_all(heads, _PINNED)


_LATERAL_HEADS = PreparedRead(_lateral_heads_statement())
_PINNED_HEADS = PreparedRead(_PINNED)
_CLASSES = [p.value for p in Priority]


def queue_heads(
    session: Session,
    hall_id: str,
    services: WindowServices,
    window_no: int,
    exclude: set[str],
) -> list[Candidate]:
    """The oldest waiting tickets of each (service, priority class), `len(exclude) + 1` of
    each so that a head excluded after a lost claim has its successor, and the tickets sent
    to this window by name.

    The call policy is first-in-first-out inside a service and class (its ranking is
    monotonic in order time there), so only these heads can be next. Each head is an index
    seek, so a call costs the same with ten or ten thousand tickets waiting (an earlier
    version ranked every waiting ticket with a window function: a third of a call's time
    with a few thousand waiting, issue 22).
    """
    codes = list(services.weights)
    depth = len(exclude) + 1
    params: dict[str, Any] = {"hall_id": hall_id, "window": window_no, "depth": depth}
    if session.get_bind().dialect.name == "postgresql":
        params.update(codes=codes, classes=_CLASSES)
        statement = _LATERAL_HEADS if codes else _PINNED_HEADS
    else:
        params.update({f"code{i}": code for i, code in enumerate(codes)})
        statement = _queue_heads_statement(len(codes))
    heads = [to_candidate(_CandidateRow(*row)) for row in statement.rows(session, params)]
    return [c for c in heads if c.ticket_id not in exclude]


_RECENT = (
    select(_TICKETS.c.priority)
    .where(
        _TICKETS.c.hall_id == bindparam("hall_id"),
        _TICKETS.c.window_no == bindparam("window"),
        _TICKETS.c.called_at.is_not(None),
    )
    .order_by(_TICKETS.c.called_at.desc())
    .limit(bindparam("depth"))
)


def recent_priorities(
    session: Session, hall_id: str, window_no: int, policy: CallPolicy
) -> list[Priority]:
    if policy.priority_ratio is None:
        return []
    depth = sum(policy.priority_ratio) + 1
    rows = session.execute(
        _RECENT, {"hall_id": hall_id, "window": window_no, "depth": depth}
    ).scalars()
    return [Priority(p) for p in rows]


def _untargeted() -> tuple[Any, ...]:
    t = _TICKETS.c
    return (
        t.hall_id == bindparam("hall_id"),
        t.state == TicketState.WAITING.value,
        t.service_code == bindparam("service"),
        t.target_window.is_(None),
    )


def _tier_zero_ahead(priority: Priority) -> Select[Any]:
    """The count of count_ahead for a target in tier 0, of a priority class."""
    t = _TICKETS.c
    order_at: Any = bindparam("order_at")
    number: Any = bindparam("number")
    tier_zero = (t.priority != Priority.NORMAL.value) | (t.order_at <= bindparam("aged_before"))
    # Same instant: the stronger class goes first (appointment before green before normal).
    same_time = t.order_at == order_at
    stronger = or_(false(), *(t.priority == p.value for p in Priority if p.rank < priority.rank))
    weaker = or_(false(), *(t.priority == p.value for p in Priority if p.rank > priority.rank))
    before = (t.order_at < order_at) | (
        same_time & (stronger | ((t.priority == priority.value) & (t.number < number)))
    )
    condition = tier_zero & before & ~(same_time & weaker)
    return (
        select(func.count())
        .select_from(_TICKETS)
        .where(*_untargeted(), t.id != bindparam("tid"), condition)
    )


# A fresh normal target (not aged, so after every aged ticket): everyone untargeted is ahead
# of it but the fresh normal tickets at or after it, itself included. Counted as the whole
# queue minus those, so the database counts the queue's index entries without testing each
# against the policy (3x cheaper on SQLite with thousands waiting, issue 22), and tests the
# policy only on the index range from the target's instant on.
def _behind() -> Any:
    t = _TICKETS.c
    return (
        select(func.count())
        .select_from(_TICKETS)
        .where(
            *_untargeted(),
            t.priority == Priority.NORMAL.value,
            t.order_at >= bindparam("order_at"),
            (t.order_at > bindparam("order_at")) | (t.number >= bindparam("number")),
        )
        .scalar_subquery()
    )


_QUEUED = select(func.count()).select_from(_TICKETS).where(*_untargeted()).scalar_subquery()

# The columns issuing writes into a new ticket (the rest are NULL or their defaults).
NEW_TICKET_COLUMNS = (
    "id",
    "hall_id",
    "service_code",
    "business_day",
    "prefix",
    "seq_no",
    "number",
    "priority",
    "state",
    "recall_count",
    "issued_at",
    "order_at",
)
_Count = Literal["tier_zero", "queued_and_behind", "only_behind"]


@functools.cache
def _count_read(count: _Count, priority: Priority | None, inserting: bool) -> PreparedRead:
    """A count of count_ahead, built once per kind (and per class for tier 0, the one count
    the class changes), its values bound at each call.

    `inserting` (PostgreSQL): the same count in the statement that inserts the ticket (its
    values bound as `new_<column>`), one round trip instead of two on every ticket issued,
    four a ticket in a batch of the hall writer becoming three (issue 22). All parts of a
    statement see one snapshot, so the count does not see the row inserted beside it."""
    if count == "tier_zero":
        assert priority is not None, "the tier-0 count is built per priority class"
        statement = _tier_zero_ahead(priority)
    elif count == "queued_and_behind":
        statement = select(_QUEUED, _behind())
    else:
        statement = select(_behind())
    if not inserting:
        return PreparedRead(statement)
    new_ticket = (
        insert(_TICKETS)
        .values({name: bindparam(f"new_{name}") for name in NEW_TICKET_COLUMNS})
        .returning(_TICKETS.c.id)
        .cte("new_ticket")
    )
    counts = statement.subquery("counts")
    return PreparedRead(select(*counts.c).select_from(counts.join(new_ticket, true())))


def count_ahead(
    session: Session,
    hall: HallContext,
    row: Ticket,
    now: datetime,
    *,
    just_issued: bool = False,
    inserting: Mapping[str, Any] | None = None,
) -> int:
    """Tickets of the same service that a window serving it would call before `row`.

    Counted in SQL with the call policy's tiers (queue_server.domain.call_policy): priority
    traffic and normal tickets past the guard form tier 0, ordered by time; fresh normal
    tickets follow, ordered by time. A test checks this count against the domain's own
    ranking on random queues. `just_issued`: `row` is the ticket this transaction inserted
    last, and the service's queue as its earlier issues counted it, plus this one, is the
    queue it joined (issue_inputs.queue_sizes). `inserting` (PostgreSQL): `row`'s values
    (NEW_TICKET_COLUMNS), inserted by the count's own statement.
    """
    target = to_candidate(row)
    params = {
        "hall_id": hall.id,
        "service": row.service_code,
        "tid": row.id,
        "order_at": row.order_at,
        "number": row.number,
        "aged_before": now - timedelta(minutes=hall.policy.guard_minutes),
    }
    # The counts below include `row` itself where it is in their range; a row inserted by
    # the same statement is not in its snapshot yet.
    unseen = 0
    if inserting is not None:
        params.update({f"new_{name}": inserting[name] for name in NEW_TICKET_COLUMNS})
        unseen = 1
    priority = Priority(row.priority)
    # The batch's memo of queue sizes; None for a ticket issued earlier (nothing to remember).
    sizes = queue_sizes(session) if just_issued else None
    key = (hall.id, row.service_code)
    known = sizes.get(key) if sizes is not None else None
    inserts = inserting is not None
    if is_tier_zero(target, now, hall.policy):
        # The count leaves `row` out by its id.
        [(ahead,)] = _count_read("tier_zero", priority, inserts).rows(session, params)
        if sizes is not None and known is not None:
            sizes[key] = known + 1
        return int(ahead)
    if known is None:
        read = _count_read("queued_and_behind", None, inserts)
        [(queued, behind)] = read.rows(session, params)
        queued += unseen
    else:
        queued = known + 1
        [(behind,)] = _count_read("only_behind", None, inserts).rows(session, params)
    behind += unseen
    if sizes is not None:
        sizes[key] = int(queued)
    return int(queued) - int(behind)


# The estimate's inputs, read on every ticket issued (and per service on the floor): Core
# statements built once, values bound at each call, so a read costs the database round trip
# and not the ORM's compile and row handling (issue 22). Both read only committed rows the
# issuing transaction does not touch (windows, finished tickets), so the ORM's autoflush a
# Core statement skips changes nothing they see.
def _micros_between(start: Any, end: Any, dialect: str) -> Any:
    """`end - start` in whole microseconds, computed by the database: exact on both engines,
    so the minutes below equal Python's `(end - start).total_seconds() / 60` to the bit, and
    no datetime is built for each of the samples read on every ticket issued."""
    if dialect == "postgresql":
        return cast(Any, func.extract("epoch", end - start) * 1_000_000).cast(BigInteger)

    # SQLite keeps an instant as 'YYYY-MM-DD HH:MM:SS.ffffff' (SQLAlchemy always writes the
    # six digits) and its date functions round to milliseconds: whole seconds from strftime
    # over the text without its fraction, the microseconds from the text.
    def seconds(instant: Any) -> Any:
        return func.strftime("%s", func.substr(instant, 1, 19)).cast(BigInteger)

    def micros(instant: Any) -> Any:
        return func.substr(instant, 21).cast(BigInteger)

    return (seconds(end) - seconds(start)) * 1_000_000 + micros(end) - micros(start)


@functools.cache
def _handling_statement(dialect: str) -> PreparedRead:
    t = _TICKETS.c
    return PreparedRead(
        select(_micros_between(t.started_at, t.finished_at, dialect))
        .where(
            t.hall_id == bindparam("hall_id"),
            t.service_code == bindparam("service"),
            t.state == TicketState.FINISHED.value,
            t.started_at.is_not(None),
            # Also what lets both engines read `ix_tickets_finished`, which holds only
            # finished tickets (migration 0018).
            t.finished_at.is_not(None),
        )
        .order_by(t.finished_at.desc())
        .limit(HANDLING_SAMPLES)
    )


def handling_minutes(session: Session, hall_id: str, service: str) -> list[float]:
    """Minutes at the window of the service's last HANDLING_SAMPLES finished tickets (a new
    list; read once a transaction until it records a finish, issue_inputs.py)."""

    def read() -> list[float]:
        statement = _handling_statement(session.get_bind().dialect.name)
        rows = statement.rows(session, {"hall_id": hall_id, "service": service})
        return [micros / 10**6 / 60 for (micros,) in rows]

    return list(remembered(session, ("handling", hall_id, service), read))


# ----- the open windows now: the estimate's capacity, its "nobody ahead" case, the forecast --
# Read on every ticket issued, in one statement (issue 22: three before, a join and two reads).


@dataclass(frozen=True)
class OpenWindow:
    """An open window serving something, as it stands: paused or not, its services' weights,
    the ticket at it (its service, called when)."""

    number: int
    paused: bool
    paused_at: datetime | None
    weights: dict[str, int]
    busy_service: str | None
    called_at: datetime | None


def _nothing(column: Any) -> Any:
    """NULL read as `column`'s type (SQLite hands an instant back as text otherwise)."""
    return type_coerce(null(), column.type)


# Two index reads in one round trip: the windows with their weights, then the tickets at a
# window. Joined instead, PostgreSQL read every ticket ever called at each window and kept
# the one or two there now (2 ms against 0.3 ms on the demo month, a third slower in all).
_OPEN_WINDOWS = union_all(
    select(
        literal_column("0").label("busy"),
        _WINDOWS.c.number,
        _WINDOWS.c.paused,
        _WINDOWS.c.paused_at,
        _WS.c.service_code,
        _WS.c.weight,
        _nothing(_TICKETS.c.called_at),
    )
    .select_from(
        _WINDOWS.join(
            _WS, (_WS.c.hall_id == _WINDOWS.c.hall_id) & (_WS.c.window_no == _WINDOWS.c.number)
        )
    )
    .where(_WINDOWS.c.hall_id == bindparam("hall_id"), _WINDOWS.c.is_open.is_(True)),
    select(
        literal_column("1"),
        _TICKETS.c.window_no,
        _nothing(_WINDOWS.c.paused),
        _nothing(_WINDOWS.c.paused_at),
        _TICKETS.c.service_code,
        _nothing(_WS.c.weight),
        _TICKETS.c.called_at,
    ).where(_TICKETS.c.hall_id == bindparam("hall_id"), at_a_window(_TICKETS.c.state)),
)


def open_windows(session: Session, hall_id: str) -> list[OpenWindow]:
    """The hall's open windows that serve at least one service, by number."""
    windows: dict[int, OpenWindow] = {}
    busy: dict[int, tuple[str, datetime | None]] = {}
    rows = session.execute(_OPEN_WINDOWS, {"hall_id": hall_id})
    for at_window, number, paused, paused_at, code, weight, called_at in rows:
        if at_window:
            busy[number] = (code, called_at)
            continue
        window = windows.get(number)
        if window is None:
            window = windows[number] = OpenWindow(number, paused, paused_at, {}, None, None)
        window.weights[code] = weight
    for number, (code, called_at) in busy.items():
        if number in windows:
            windows[number] = replace(windows[number], busy_service=code, called_at=called_at)
    return [windows[number] for number in sorted(windows)]


def open_capacity(windows: Iterable[OpenWindow], service: str) -> float:
    """Open, unpaused windows serving `service`, each by the share of its weight."""
    return capacity_of(
        (w.weights[service], sum(w.weights.values()))
        for w in windows
        if not w.paused and service in w.weights
    )


# The open capacity of one service alone, for a ticket with people ahead (most tickets of a
# busy hour): the weights of the open, unpaused windows serving it, each with its window's
# total, in window order so the sum is the float `open_capacity` gives. `open_windows` reads
# every window's every weight and the tickets at windows (240 rows in a 20-window hall
# serving 12 services), which was a third of an issued ticket's time (issue 22).
_WS_TOTAL = _WS.alias("window_total")
_SERVICE_CAPACITY = PreparedRead(
    select(
        _WS.c.weight,
        select(func.sum(_WS_TOTAL.c.weight))
        .where(
            _WS_TOTAL.c.hall_id == _WS.c.hall_id,
            _WS_TOTAL.c.window_no == _WS.c.window_no,
        )
        .scalar_subquery(),
    )
    .select_from(
        _WINDOWS.join(
            _WS, (_WS.c.hall_id == _WINDOWS.c.hall_id) & (_WS.c.window_no == _WINDOWS.c.number)
        )
    )
    .where(
        _WINDOWS.c.hall_id == bindparam("hall_id"),
        _WINDOWS.c.is_open.is_(True),
        _WINDOWS.c.paused.is_(False),
        _WS.c.service_code == bindparam("service"),
    )
    .order_by(_WINDOWS.c.number)
)


def service_capacity(session: Session, hall_id: str, service: str) -> float:
    """`open_capacity(open_windows(session, hall_id), service)` in one small read (once a
    transaction until it records a change of the windows, issue_inputs.py)."""

    def read() -> float:
        rows = _SERVICE_CAPACITY.rows(session, {"hall_id": hall_id, "service": service})
        return capacity_of((weight, total) for weight, total in rows)

    return remembered(session, ("capacity", hall_id, service), read)


_OTHERS_WAITING = select(*(_TICKETS.c[column.key] for column in CANDIDATE_COLUMNS)).where(
    _TICKETS.c.hall_id == bindparam("hall_id"),
    _TICKETS.c.state == TicketState.WAITING.value,
    _TICKETS.c.id != bindparam("ticket_id"),
)


def others_waiting(session: Session, hall_id: str, ticket_id: str) -> list[Candidate]:
    rows = session.execute(_OTHERS_WAITING, {"hall_id": hall_id, "ticket_id": ticket_id})
    return [to_candidate(row) for row in rows]
