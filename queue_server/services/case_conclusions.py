"""办结: a promised case (承诺件) is concluded some working days after the window finished the
visit. The event `case.concluded` {"concluded_on": "YYYY-MM-DD"} is what the reports read to
count overdue working days (queue_server/domain/month_pass.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from queue_server.domain.clock import Clock
from queue_server.domain.errors import RuleViolation
from queue_server.domain.events import EventKind
from queue_server.domain.tickets import CaseType, TicketState
from queue_server.services.database import Database
from queue_server.services.errors import Conflict, NotFound
from queue_server.services.event_log import Actor, append_event
from queue_server.services.halls import HallRegistry
from queue_server.services.staff_numbers import staff_no_of
from queue_server.storage.assessment_tables import CaseConclusion
from queue_server.storage.tables import Ticket


@dataclass(frozen=True)
class Conclusion:
    ticket_id: str
    number: str
    window: int
    deadline: date
    concluded_on: date
    overdue_working_days: int


@dataclass(frozen=True)
class OpenCase:
    """A promised case finished at a window and not yet concluded."""

    ticket_id: str
    number: str
    service: str
    finished_on: date
    deadline: date
    working_days_left: int  # 0: due today; negative: overdue by that many working days

    @property
    def overdue(self) -> bool:
        return self.working_days_left < 0


class CaseConclusionService:
    def __init__(self, db: Database, halls: HallRegistry, clock: Clock) -> None:
        self.db = db
        self.halls = halls
        self.clock = clock

    def open_cases(self, hall_id: str, window_no: int) -> list[OpenCase]:
        """The window's promised cases still to conclude, the nearest deadline first."""
        hall = self.halls.get(hall_id)
        today = hall.calendar.business_day(self.clock.now())
        with self.db.read() as session:
            rows = session.execute(
                select(
                    Ticket.id,
                    Ticket.number,
                    Ticket.service_code,
                    Ticket.finished_at,
                    Ticket.deadline,
                )
                .outerjoin(CaseConclusion, CaseConclusion.ticket_id == Ticket.id)
                .where(
                    Ticket.hall_id == hall.id,
                    Ticket.window_no == window_no,
                    Ticket.state == TicketState.FINISHED.value,
                    Ticket.case_type == CaseType.PROMISED.value,
                    Ticket.deadline.is_not(None),
                    CaseConclusion.ticket_id.is_(None),
                )
                .order_by(Ticket.deadline, Ticket.finished_at, Ticket.number)
            ).all()
        return [
            OpenCase(
                ticket_id=ticket_id,
                number=number,
                service=service,
                finished_on=hall.calendar.business_day(finished_at) if finished_at else today,
                deadline=deadline,
                working_days_left=hall.calendar.working_days_left(today, deadline),
            )
            for ticket_id, number, service, finished_at, deadline in rows
            if deadline is not None
        ]

    def conclude(
        self,
        hall_id: str,
        window_no: int,
        ticket_id: str,
        concluded_on: date | None,
        by: Actor,
    ) -> Conclusion:
        hall = self.halls.get(hall_id)
        now = self.clock.now()
        today = hall.calendar.business_day(now)
        day = concluded_on or today
        try:
            with self.db.write() as work:
                session = work.session
                ticket = session.scalar(
                    select(Ticket).where(Ticket.id == ticket_id, Ticket.hall_id == hall.id)
                )
                if ticket is None:
                    raise NotFound(f"no ticket {ticket_id!r} in hall {hall.id}")
                if ticket.window_no != window_no:
                    raise RuleViolation(
                        f"ticket {ticket.number} was not handled at window {window_no}",
                        code="not_at_this_window",
                    )
                if (
                    ticket.state != TicketState.FINISHED.value
                    or ticket.case_type != CaseType.PROMISED.value
                    or ticket.deadline is None
                ):
                    raise RuleViolation(
                        f"ticket {ticket.number} is not a finished promised case (承诺件)",
                        code="not_a_promised_case",
                    )
                finished_on = hall.calendar.business_day(ticket.finished_at or now)
                if not finished_on <= day <= today:
                    raise RuleViolation(
                        f"the conclusion day must fall between {finished_on} and today ({today})",
                        code="invalid_day",
                    )
                if session.get(CaseConclusion, ticket.id) is not None:
                    raise Conflict(f"ticket {ticket.number} is already concluded")
                session.add(
                    CaseConclusion(
                        ticket_id=ticket.id,
                        hall_id=hall.id,
                        concluded_on=day,
                        recorded_at=now,
                        recorded_by=staff_no_of(session, by),
                    )
                )
                session.flush()
                append_event(
                    work,
                    hall.id,
                    EventKind.CASE_CONCLUDED,
                    now,
                    actor=by,
                    ticket_id=ticket.id,
                    window=window_no,
                    payload={"concluded_on": day.isoformat()},
                )
                return Conclusion(
                    ticket.id,
                    ticket.number,
                    window_no,
                    ticket.deadline,
                    day,
                    hall.calendar.working_days_between(ticket.deadline, day),
                )
        except IntegrityError:
            raise Conflict(f"ticket {ticket_id} is already concluded") from None
