"""Staff numbers (工号) of the accounts that act: what supervision's records name."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from queue_server.services.errors import NotFound
from queue_server.services.event_log import Actor
from queue_server.storage.tables import User


def staff_no_of(session: Session, actor: Actor) -> str | None:
    if actor.clerk is None:
        return None
    return session.scalar(select(User.staff_no).where(User.id == actor.clerk))


def check_staff_no(session: Session, hall_id: str, staff_no: str | None) -> None:
    """A staff number a record names must be an account of the hall (a typo would otherwise
    be assessed as a person of its own)."""
    if staff_no is None:
        return
    found = session.scalar(
        select(User.id).where(User.staff_no == staff_no, User.hall_id == hall_id)
    )
    if found is None:
        raise NotFound(f"no staff number {staff_no!r} in hall {hall_id}")
