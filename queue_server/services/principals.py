"""Who a bearer token stands for, read fresh on every request so revocation is immediate.

The access check runs on every request, so it reads in the caller's one short read
transaction: the token's row with its account and window in one query, and the ticket a
path names in a second one when the rule needs it.
"""

from __future__ import annotations

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from queue_server.domain.access import Device, DeviceKind, Principal, Role, Staff, TicketPlace
from queue_server.domain.clock import Clock
from queue_server.services.errors import Unauthenticated
from queue_server.services.tokens import DEVICE_PREFIX, STAFF_PREFIX, token_digest
from queue_server.storage.tables import Device as DeviceRow
from queue_server.storage.tables import StaffSession, Ticket, User, WindowSignIn


def authenticate(session: Session, clock: Clock, token: str) -> Principal:
    if token.startswith(STAFF_PREFIX):
        return _staff(session, clock, token)
    if token.startswith(DEVICE_PREFIX):
        return _device(session, token)
    raise Unauthenticated("this is not a hallq token")


def _staff(session: Session, clock: Clock, token: str) -> Staff:
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
    return Staff(
        user_id=user.id,
        hall=user.hall_id,
        role=Role(user.role),
        name=user.name,
        staff_no=user.staff_no,
        window=window,
    )


def _device(session: Session, token: str) -> Device:
    row = session.scalars(
        select(DeviceRow).where(DeviceRow.token_hash == token_digest(token))
    ).first()
    if row is None:
        raise Unauthenticated("unknown device token")
    if row.revoked_at is not None:
        raise Unauthenticated(f"the token of device {row.name!r} was revoked")
    return Device(row.name, row.hall_id, DeviceKind(row.kind), row.window_no)


def ticket_place(session: Session, hall: str, ticket_id: str) -> TicketPlace | None:
    """Where a ticket named in a path is; None if it is not in this hall (the route then
    answers 404 itself)."""
    row = session.execute(
        select(Ticket.number, Ticket.window_no, Ticket.hall_id).where(Ticket.id == ticket_id)
    ).first()
    if row is None or row.hall_id != hall:
        return None
    return TicketPlace(row.number, row.window_no)
