"""Follow-ups of bad ratings: the duty lead and supervision record contact, fix and closure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from queue_server.domain.calendar import HallCalendar
from queue_server.domain.clock import Clock
from queue_server.domain.events import EventKind
from queue_server.domain.rating import (
    FollowUpState,
    Level,
    check_can_close,
    check_open,
    is_overdue,
)
from queue_server.services.database import Database
from queue_server.services.errors import NotFound
from queue_server.services.event_log import Actor, append_event
from queue_server.services.halls import HallRegistry
from queue_server.storage.tables import FollowUp, Rating, Ticket, User


@dataclass(frozen=True)
class Step:
    note: str
    at: datetime
    by: str | None  # staff number


@dataclass(frozen=True)
class FollowUpView:
    id: str
    hall: str
    state: FollowUpState
    opened_at: datetime
    deadline: date
    overdue: bool
    window: int
    ticket_number: str
    service: str
    clerk_staff_no: str | None
    clerk_name: str | None
    level: Level
    reasons: list[str]
    visitor_phone: str | None
    contact: Step | None
    fix: Step | None
    closure: Step | None


class FollowUpService:
    def __init__(self, db: Database, halls: HallRegistry, clock: Clock) -> None:
        self.db = db
        self.halls = halls
        self.clock = clock

    def list(self, hall_id: str, state: FollowUpState | None = None) -> list[FollowUpView]:
        hall = self.halls.get(hall_id)
        today = hall.calendar.business_day(self.clock.now())
        with self.db.read() as session:
            query = select(FollowUp).where(FollowUp.hall_id == hall.id)
            if state is not None:
                query = query.where(FollowUp.state == state.value)
            rows = session.scalars(query.order_by(FollowUp.deadline, FollowUp.opened_at))
            return [_view(session, row, hall.calendar, today) for row in rows]

    def get(self, hall_id: str, follow_up_id: str) -> FollowUpView:
        hall = self.halls.get(hall_id)
        today = hall.calendar.business_day(self.clock.now())
        with self.db.read() as session:
            return _view(session, _row(session, hall.id, follow_up_id), hall.calendar, today)

    def record_contact(self, hall_id: str, follow_up_id: str, note: str, by: Actor) -> FollowUpView:
        return self._record(hall_id, follow_up_id, "contact", note, by)

    def record_fix(self, hall_id: str, follow_up_id: str, note: str, by: Actor) -> FollowUpView:
        return self._record(hall_id, follow_up_id, "fix", note, by)

    def close(self, hall_id: str, follow_up_id: str, note: str, by: Actor) -> FollowUpView:
        return self._record(hall_id, follow_up_id, "closure", note, by)

    def _record(
        self, hall_id: str, follow_up_id: str, step: str, note: str, by: Actor
    ) -> FollowUpView:
        hall = self.halls.get(hall_id)
        now = self.clock.now()
        with self.db.write() as work:
            session = work.session
            row = _row(session, hall.id, follow_up_id)
            state = FollowUpState(row.state)
            who = _staff_no(session, by.clerk)
            if step == "closure":
                check_can_close(state, row.contacted_at is not None, row.fixed_at is not None)
                row.closure_note, row.closed_at, row.closed_by = note, now, who
                row.state = FollowUpState.CLOSED.value
                kind = EventKind.FOLLOW_UP_CLOSED
            else:
                check_open(state)
                if step == "contact":
                    row.contact_note, row.contacted_at, row.contacted_by = note, now, who
                    kind = EventKind.FOLLOW_UP_CONTACTED
                else:
                    row.fix_note, row.fixed_at, row.fixed_by = note, now, who
                    kind = EventKind.FOLLOW_UP_FIXED
            append_event(work, hall.id, kind, now, actor=by, payload={"follow_up": row.id})
            session.flush()
            return _view(session, row, hall.calendar, hall.calendar.business_day(now))


def _row(session: Session, hall_id: str, follow_up_id: str) -> FollowUp:
    row = session.get(FollowUp, follow_up_id)
    if row is None or row.hall_id != hall_id:
        raise NotFound(f"no follow-up {follow_up_id!r} in hall {hall_id}")
    return row


def _staff_no(session: Session, user_id: str | None) -> str | None:
    if user_id is None:
        return None
    return session.scalar(select(User.staff_no).where(User.id == user_id))


def _step(note: str | None, at: datetime | None, by: str | None) -> Step | None:
    return None if note is None or at is None else Step(note, at, by)


def _view(session: Session, row: FollowUp, calendar: HallCalendar, today: date) -> FollowUpView:
    rating = session.get(Rating, row.rating_id)
    assert rating is not None
    ticket = session.get(Ticket, rating.ticket_id)
    assert ticket is not None
    clerk = session.get(User, rating.clerk_id) if rating.clerk_id else None
    state = FollowUpState(row.state)
    return FollowUpView(
        id=row.id,
        hall=row.hall_id,
        state=state,
        opened_at=row.opened_at,
        deadline=row.deadline,
        overdue=is_overdue(
            row.deadline, calendar.business_day(row.closed_at) if row.closed_at else None, today
        ),
        window=rating.window_no,
        ticket_number=ticket.number,
        service=ticket.service_code,
        clerk_staff_no=clerk.staff_no if clerk else None,
        clerk_name=clerk.name if clerk else None,
        level=Level(rating.level),
        reasons=list(rating.reasons),
        visitor_phone=row.visitor_phone,
        contact=_step(row.contact_note, row.contacted_at, row.contacted_by),
        fix=_step(row.fix_note, row.fixed_at, row.fixed_by),
        closure=_step(row.closure_note, row.closed_at, row.closed_by),
    )
