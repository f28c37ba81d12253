"""Queries the queue's transactions share: claims, counters, locks and queue reads.

Storage detail only; which ticket is next and what may happen to it is decided in
queue_server.domain.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from queue_server.domain.call_policy import CallPolicy, Candidate, WindowServices, is_tier_zero
from queue_server.domain.tickets import AT_WINDOW_STATES, Priority, TicketState
from queue_server.services.errors import NotFound
from queue_server.services.halls import HallContext
from queue_server.storage.tables import Counter, Ticket, Window, WindowService

HANDLING_SAMPLES = 30


_TICKETS = cast(Table, Ticket.__table__)
# Built once: they run on every call.
_LOCK_WAITING = (
    select(_TICKETS.c.id)
    .where(_TICKETS.c.id == bindparam("tid"), _TICKETS.c.state == TicketState.WAITING.value)
    .with_for_update(skip_locked=True)
)
_CLAIM = (
    update(_TICKETS)
    .where(_TICKETS.c.id == bindparam("tid"), _TICKETS.c.state == TicketState.WAITING.value)
    .values(
        state=TicketState.CALLED.value, window_no=bindparam("window"), called_at=bindparam("at")
    )
    .returning(*_TICKETS.c)
)


def claim_and_call(session: Session, ticket_id: str, window_no: int, at: datetime) -> Ticket | None:
    """Compare-and-set: call the ticket to the window only if it is still waiting; the ticket
    as called (not attached to the session), or None when another window got it first.

    This is what stops two windows that picked the same ticket at the same moment from both
    calling it: on PostgreSQL the row is taken with FOR UPDATE SKIP LOCKED first (a ticket
    another window is claiming right now is skipped, not waited for) and the UPDATE re-checks
    the state; on SQLite the whole transaction already holds the write lock (BEGIN IMMEDIATE).
    """
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres and session.execute(_LOCK_WAITING, {"tid": ticket_id}).first() is None:
        return None
    called = session.execute(_CLAIM, {"tid": ticket_id, "window": window_no, "at": at}).first()
    if called is None:
        return None
    return Ticket(**called._mapping)


def bump_counter(session: Session, hall_id: str, day: date, key: str, by: int = 1) -> int:
    """Next value of a per-day counter, created at 1 on the day's first use; `by` > 1
    takes a block of values at once (a kiosk's lease) and returns the block's last.

    Never max()+1: the UPDATE takes the counter row's lock, so concurrent issuers queue on
    it and each gets its own value. Only the day's first ticket pays for the insert.
    """
    increment = (
        update(Counter)
        .where(Counter.hall_id == hall_id, Counter.business_day == day, Counter.key == key)
        .values(value=Counter.value + by)
        .returning(Counter.value)
    )
    value = session.execute(increment).scalar_one_or_none()
    if value is None:
        insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        session.execute(
            insert(Counter)
            .values(hall_id=hall_id, business_day=day, key=key, value=0)
            .on_conflict_do_nothing(index_elements=["hall_id", "business_day", "key"])
        )
        value = session.execute(increment).scalar_one()
    return int(value)


def lock_window(session: Session, hall_id: str, window_no: int) -> Window:
    window = session.execute(
        select(Window)
        .where(Window.hall_id == hall_id, Window.number == window_no)
        .with_for_update()
    ).scalar_one_or_none()
    if window is None:
        raise NotFound(f"unknown window {window_no} in hall {hall_id}")
    return window


def lock_ticket(session: Session, hall_id: str, ticket_id: str) -> Ticket:
    row = session.execute(
        select(Ticket).where(Ticket.id == ticket_id).with_for_update()
    ).scalar_one_or_none()
    if row is None or row.hall_id != hall_id:
        raise NotFound(f"no ticket with id {ticket_id!r} in hall {hall_id}")
    return row


def current_ticket(session: Session, hall_id: str, window_no: int) -> Ticket | None:
    return session.scalars(
        select(Ticket).where(
            Ticket.hall_id == hall_id,
            Ticket.window_no == window_no,
            Ticket.state.in_([s.value for s in AT_WINDOW_STATES]),
        )
    ).first()


def window_services(session: Session, hall_id: str, window_no: int) -> WindowServices:
    rows = session.execute(
        select(WindowService.service_code, WindowService.weight).where(
            WindowService.hall_id == hall_id, WindowService.window_no == window_no
        )
    ).all()
    return WindowServices(number=window_no, weights={code: weight for code, weight in rows})


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


def queue_heads(
    session: Session,
    hall_id: str,
    services: WindowServices,
    window_no: int,
    exclude: set[str],
) -> list[Candidate]:
    """The oldest waiting ticket of each (service, priority class), plus pinned tickets.

    The call policy is first-in-first-out inside a service and class (its ranking is
    monotonic in order time there), so only these heads can be next; reading them instead of
    the whole queue keeps a call cheap however long the queue is.
    """
    ranked = (
        select(
            *CANDIDATE_COLUMNS,
            func.row_number()
            .over(
                partition_by=(Ticket.service_code, Ticket.priority, Ticket.target_window),
                order_by=(Ticket.order_at, Ticket.number),
            )
            .label("place"),
        )
        .where(
            Ticket.hall_id == hall_id,
            Ticket.state == TicketState.WAITING.value,
            (Ticket.service_code.in_(list(services.weights)) & Ticket.target_window.is_(None))
            | (Ticket.target_window == window_no),
        )
        .subquery()
    )
    depth = len(exclude) + 1
    rows = session.execute(select(ranked).where(ranked.c.place <= depth)).all()
    return [to_candidate(r) for r in rows if r.id not in exclude]


def recent_priorities(
    session: Session, hall_id: str, window_no: int, policy: CallPolicy
) -> list[Priority]:
    if policy.priority_ratio is None:
        return []
    depth = sum(policy.priority_ratio) + 1
    rows = session.scalars(
        select(Ticket.priority)
        .where(
            Ticket.hall_id == hall_id, Ticket.window_no == window_no, Ticket.called_at.is_not(None)
        )
        .order_by(Ticket.called_at.desc())
        .limit(depth)
    ).all()
    return [Priority(p) for p in rows]


def count_ahead(session: Session, hall: HallContext, row: Ticket, now: datetime) -> int:
    """Tickets of the same service that a window serving it would call before `row`.

    Counted in SQL with the call policy's tiers (queue_server.domain.call_policy): priority
    traffic and normal tickets past the guard form tier 0, ordered by time; fresh normal
    tickets follow, ordered by time. A test checks this count against the domain's own
    ranking on random queues.
    """
    aged_before = now - timedelta(minutes=hall.policy.guard_minutes)
    same = (
        Ticket.hall_id == hall.id,
        Ticket.state == TicketState.WAITING.value,
        Ticket.service_code == row.service_code,
        Ticket.target_window.is_(None),
        Ticket.id != row.id,
    )
    earlier = (Ticket.order_at < row.order_at) | (
        (Ticket.order_at == row.order_at) & (Ticket.number < row.number)
    )
    tier_zero = (Ticket.priority != Priority.NORMAL.value) | (Ticket.order_at <= aged_before)
    target = to_candidate(row)
    if is_tier_zero(target, now, hall.policy):
        # Same instant: the stronger class goes first (appointment before green before normal).
        same_time = Ticket.order_at == row.order_at
        stronger = [p.value for p in Priority if p.rank < target.priority.rank]
        weaker = [p.value for p in Priority if p.rank > target.priority.rank]
        before = (Ticket.order_at < row.order_at) | (
            same_time
            & (
                Ticket.priority.in_(stronger)
                | ((Ticket.priority == target.priority.value) & (Ticket.number < row.number))
            )
        )
        condition = tier_zero & before & ~(same_time & Ticket.priority.in_(weaker))
    else:
        condition = tier_zero | earlier
    return int(session.scalar(select(func.count()).where(*same, condition)) or 0)


def handling_minutes(session: Session, hall_id: str, service: str) -> list[float]:
    rows = session.execute(
        select(Ticket.started_at, Ticket.finished_at)
        .where(
            Ticket.hall_id == hall_id,
            Ticket.service_code == service,
            Ticket.state == TicketState.FINISHED.value,
            Ticket.started_at.is_not(None),
        )
        .order_by(Ticket.finished_at.desc())
        .limit(HANDLING_SAMPLES)
    ).all()
    return [(f - s).total_seconds() / 60 for s, f in rows if s and f]


def open_capacity(session: Session, hall_id: str, service: str) -> float:
    """Open, unpaused windows serving `service`, each by the share of its weight."""
    rows = session.execute(
        select(WindowService.window_no, WindowService.service_code, WindowService.weight)
        .join(
            Window,
            (Window.hall_id == WindowService.hall_id) & (Window.number == WindowService.window_no),
        )
        .where(
            WindowService.hall_id == hall_id,
            Window.is_open.is_(True),
            Window.paused.is_(False),
        )
    ).all()
    totals: dict[int, int] = {}
    mine: dict[int, int] = {}
    for number, code, weight in rows:
        totals[number] = totals.get(number, 0) + weight
        if code == service:
            mine[number] = weight
    return sum(weight / totals[number] for number, weight in mine.items())
