"""Clerks signing in to and out of windows, with attendance against the opening hours."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from queue_server.domain.attendance import Attendance, classify_sign_in, classify_sign_out
from queue_server.domain.clock import Clock
from queue_server.domain.errors import WindowBusy
from queue_server.domain.events import EventKind
from queue_server.services.database import Database
from queue_server.services.errors import Conflict, Forbidden, NotFound
from queue_server.services.event_log import Actor, append_event
from queue_server.services.halls import HallRegistry
from queue_server.services.queries import current_ticket, lock_window
from queue_server.storage.tables import User, WindowSignIn

SIGNED_IN = EventKind.CLERK_SIGNED_IN
SIGNED_OUT = EventKind.CLERK_SIGNED_OUT


@dataclass(frozen=True)
class SignInView:
    hall: str
    window: int
    staff_no: str
    name: str
    signed_in_at: datetime
    attendance: Attendance
    minutes_late: int
    signed_out_at: datetime | None = None
    sign_out_attendance: Attendance | None = None
    minutes_early: int = 0

    @classmethod
    def of(cls, row: WindowSignIn, user: User) -> SignInView:
        return cls(
            hall=row.hall_id,
            window=row.window_no,
            staff_no=user.staff_no,
            name=user.name,
            signed_in_at=row.signed_in_at,
            attendance=Attendance(row.sign_in_attendance),
            minutes_late=row.minutes_late,
            signed_out_at=row.signed_out_at,
            sign_out_attendance=Attendance(row.sign_out_attendance)
            if row.sign_out_attendance
            else None,
            minutes_early=row.minutes_early,
        )


class AttendanceService:
    def __init__(self, db: Database, halls: HallRegistry, clock: Clock) -> None:
        self.db = db
        self.halls = halls
        self.clock = clock

    def sign_in(self, hall_id: str, window_no: int, user_id: str) -> SignInView:
        """Signing in again at the same window is harmless (a console restarted)."""
        hall = self.halls.get(hall_id)
        now = self.clock.now()
        try:
            with self.db.write() as work:
                session = work.session
                lock_window(session, hall.id, window_no)
                user = _user(session, user_id)
                if user.hall_id != hall.id:
                    raise Forbidden(f"{user.name} works in hall {user.hall_id}, not {hall.id}")
                mine = _open_for_user(session, user_id)
                if mine is not None:
                    if (mine.hall_id, mine.window_no) == (hall.id, window_no):
                        return SignInView.of(mine, user)
                    raise Conflict(
                        f"{user.name} is signed in to window {mine.window_no}; sign out there "
                        "first",
                        code="signed_in_elsewhere",
                    )
                other = _open_at_window(session, hall.id, window_no)
                if other is not None:
                    someone = _user(session, other.user_id)
                    raise Conflict(
                        f"window {window_no} is staffed by {someone.name} (工号 "
                        f"{someone.staff_no}); they or the duty lead must sign out first",
                        code="window_staffed",
                    )
                classified = classify_sign_in(
                    hall.calendar, now, timedelta(minutes=hall.config.hall.late_after_minutes)
                )
                row = WindowSignIn(
                    id=uuid.uuid4().hex,
                    hall_id=hall.id,
                    window_no=window_no,
                    user_id=user_id,
                    business_day=hall.calendar.business_day(now),
                    signed_in_at=now,
                    sign_in_attendance=classified.attendance.value,
                    minutes_late=classified.minutes,
                    minutes_early=0,
                )
                session.add(row)
                session.flush()
                append_event(
                    work,
                    hall.id,
                    SIGNED_IN,
                    now,
                    actor=Actor(clerk=user_id),
                    window=window_no,
                    payload={
                        "name": user.name,
                        "staff_no": user.staff_no,
                        "attendance": classified.attendance.value,
                        "minutes_late": classified.minutes,
                    },
                )
                return SignInView.of(row, user)
        except IntegrityError:
            # Two sign-ins raced for one window (or one clerk for two windows).
            raise Conflict(
                f"window {window_no} was just taken, or you just signed in elsewhere; try again",
                code="window_staffed",
            ) from None

    def sign_out(self, hall_id: str, window_no: int, actor: Actor) -> SignInView:
        hall = self.halls.get(hall_id)
        now = self.clock.now()
        with self.db.write() as work:
            session = work.session
            lock_window(session, hall.id, window_no)
            row = _open_at_window(session, hall.id, window_no)
            if row is None:
                raise NotFound(f"nobody is signed in to window {window_no}")
            current = current_ticket(session, hall.id, window_no)
            if current is not None:
                raise WindowBusy(
                    f"window {window_no} still has {current.number}; finish, hold or transfer "
                    "it before signing out (a visitor is never left at an empty window)"
                )
            user = _user(session, row.user_id)
            classified = classify_sign_out(hall.calendar, now)
            row.signed_out_at = now
            row.sign_out_attendance = classified.attendance.value
            row.minutes_early = classified.minutes
            append_event(
                work,
                hall.id,
                SIGNED_OUT,
                now,
                actor=actor,
                window=window_no,
                payload={
                    "name": user.name,
                    "staff_no": user.staff_no,
                    "attendance": classified.attendance.value,
                    "minutes_early": classified.minutes,
                    "signed_in_seconds": int((now - row.signed_in_at).total_seconds()),
                },
            )
            return SignInView.of(row, user)

    def current(self, hall_id: str, window_no: int) -> SignInView | None:
        with self.db.read() as session:
            row = _open_at_window(session, hall_id, window_no)
            return None if row is None else SignInView.of(row, _user(session, row.user_id))


def _user(session: Session, user_id: str) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"no account {user_id!r}")
    return user


def _open_for_user(session: Session, user_id: str) -> WindowSignIn | None:
    return session.scalars(
        select(WindowSignIn).where(
            WindowSignIn.user_id == user_id, WindowSignIn.signed_out_at.is_(None)
        )
    ).first()


def _open_at_window(session: Session, hall_id: str, window_no: int) -> WindowSignIn | None:
    return session.scalars(
        select(WindowSignIn).where(
            WindowSignIn.hall_id == hall_id,
            WindowSignIn.window_no == window_no,
            WindowSignIn.signed_out_at.is_(None),
        )
    ).first()
