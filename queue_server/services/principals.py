"""Who a bearer token stands for.

The access check runs on every request. What a token stands for is kept for
`CACHE_SECONDS` per process, so a burst of requests with one token (a kiosk issuing, a
clerk calling) reads it once. Any INSERT, UPDATE or DELETE on the tables it is made of
(users, staff_sessions, devices, window_sign_ins) through any engine of this process empties
the cache, so a logout, revocation, disabled account or window sign-out done here counts at
once; another process (a second worker, the CLI) is heard within `CACHE_SECONDS`
(docs/access.md). A session's expiry is checked on every use, cached or not.
"""

from __future__ import annotations

import re
import threading
import time
import weakref
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Engine, Table, and_, bindparam, event, select
from sqlalchemy.orm import Session

from queue_server.domain.access import Device, DeviceKind, Principal, Role, Staff, TicketPlace
from queue_server.domain.clock import Clock
from queue_server.services.errors import Unauthenticated
from queue_server.services.tokens import DEVICE_PREFIX, STAFF_PREFIX, token_digest
from queue_server.storage.tables import Device as DeviceRow
from queue_server.storage.tables import StaffSession, Ticket, User, WindowSignIn

CACHE_SECONDS = 2.0
_AUTH_TABLES = re.compile(
    r"^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?(users|staff_sessions|devices|"
    r"window_sign_ins)\b",
    re.IGNORECASE,
)
# Connections whose open transaction wrote to those tables. Not conn.info: on a connection
# PostgreSQL dropped, reaching it raises PendingRollbackError instead of the error at hand.
_wrote: weakref.WeakSet[Any] = weakref.WeakSet()
# token digest -> (principal, when the session expires (staff) or None, monotonic time cached)
_cache: dict[str, tuple[Principal, datetime | None, float]] = {}
_cache_lock = threading.Lock()


def forget_principals() -> None:
    with _cache_lock:
        _cache.clear()


def cached_principal(clock: Clock, token: str) -> Principal | None:
    """The principal of `token` if it was looked up less than CACHE_SECONDS ago and its
    session has not expired since; None means: look it up."""
    key = token_digest(token)
    with _cache_lock:
        found = _cache.get(key)
    if found is None:
        return None
    principal, expires_at, cached_at = found
    if time.monotonic() - cached_at > CACHE_SECONDS:
        return None
    if expires_at is not None and expires_at <= clock.now():
        return None  # looked up again: the answer names the expiry
    return principal


def authenticate(session: Session, clock: Clock, token: str) -> Principal:
    cached = cached_principal(clock, token)
    if cached is not None:
        return cached
    started = time.monotonic()
    expires_at: datetime | None = None
    principal: Principal
    if token.startswith(STAFF_PREFIX):
        principal, expires_at = _staff(session, clock, token)
    elif token.startswith(DEVICE_PREFIX):
        principal = _device(session, token)
    else:
        raise Unauthenticated("this is not a hallq token")
    with _cache_lock:
        # Stamped with the time the lookup began: a write that emptied the cache while it
        # ran cannot leave an older answer looking fresher than it is.
        _cache[token_digest(token)] = (principal, expires_at, started)
    return principal


@event.listens_for(Engine, "after_cursor_execute")
def _on_statement(
    conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
) -> None:
    if statement[:1] in "SsWw" or not _AUTH_TABLES.match(statement):
        return
    forget_principals()
    # Again at COMMIT: a lookup between this statement and the commit read the old rows.
    with _cache_lock:
        _wrote.add(conn)


@event.listens_for(Engine, "commit")
def _on_commit(conn: Any) -> None:
    with _cache_lock:
        if conn not in _wrote:
            return
        _wrote.discard(conn)
        _cache.clear()


def _staff(session: Session, clock: Clock, token: str) -> tuple[Staff, datetime]:
    found = session.execute(
        select(StaffSession, User, WindowSignIn.window_no)
        .join(User, User.id == StaffSession.user_id)
        .outerjoin(
            WindowSignIn,
            and_(WindowSignIn.user_id == User.id, WindowSignIn.signed_out_at.is_(None)),
        )
        .where(StaffSession.token_hash == token_digest(token))
    ).first()
    if found is None:
        raise Unauthenticated("unknown token; log in again")
    login, user, window = found
    if login.revoked_at is not None:
        raise Unauthenticated("this token was revoked (logged out); log in again")
    if login.expires_at <= clock.now():
        raise Unauthenticated(f"this token expired at {login.expires_at.isoformat()}; log in again")
    if not user.active:
        raise Unauthenticated("this account is disabled")
    staff = Staff(
        user_id=user.id,
        hall=user.hall_id,
        role=Role(user.role),
        name=user.name,
        staff_no=user.staff_no,
        window=window,
    )
    return staff, login.expires_at


def _device(session: Session, token: str) -> Device:
    row = session.scalars(
        select(DeviceRow).where(DeviceRow.token_hash == token_digest(token))
    ).first()
    if row is None:
        raise Unauthenticated("unknown device token")
    if row.revoked_at is not None:
        raise Unauthenticated(f"the token of device {row.name!r} was revoked")
    return Device(row.name, row.hall_id, DeviceKind(row.kind), row.window_no)


_TICKETS = cast(Table, Ticket.__table__)
# Core, built once, run on the session's connection: read for every move a clerk makes on a
# ticket (no-show, start, finish...), in the request's thread beside the hall's writer, whose
# GIL it shares; the ORM's execution doubled its cost (issue 22).
_TICKET_PLACE = select(_TICKETS.c.number, _TICKETS.c.window_no, _TICKETS.c.hall_id).where(
    _TICKETS.c.id == bindparam("ticket_id")
)


def ticket_place(session: Session, hall: str, ticket_id: str) -> TicketPlace | None:
    """Where a ticket named in a path is; None if it is not in this hall (the route then
    answers 404 itself)."""
    row = session.connection().execute(_TICKET_PLACE, {"ticket_id": ticket_id}).first()
    if row is None or row.hall_id != hall:
        return None
    return TicketPlace(row.number, row.window_no)
