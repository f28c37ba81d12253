"""What a clerk's console needs besides the queue moves: today's counts at the window and the
one-time notice (一次性告知) given to a visitor whose materials are incomplete."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from queue_server.domain.clock import Clock
from queue_server.domain.errors import RuleViolation
from queue_server.domain.events import EventKind
from queue_server.domain.free_text import mask_personal_data
from queue_server.domain.tickets import TicketState
from queue_server.services.database import Database
from queue_server.services.errors import NotFound
from queue_server.services.event_log import Actor, append_event
from queue_server.services.halls import HallRegistry
from queue_server.services.queries import bump_counter, lock_ticket
from queue_server.storage.tables import Ticket, Window

NOTICE_GIVEN = EventKind.TICKET_NOTICE_GIVEN
# A notice is given while the visitor is at the window, or just after the case ended.
NOTICE_STATES = frozenset({TicketState.SERVING, TicketState.ON_HOLD, TicketState.FINISHED})


@dataclass(frozen=True)
class WindowDay:
    window: int
    day: date
    called: int = 0
    finished: int = 0
    no_show: int = 0
    transferred: int = 0
    by_case_type: dict[str, int] = field(default_factory=dict)
    average_handling_seconds: int | None = None
    # The window's own pause, for its clerk: the note is a staff-only fact (never public).
    pause_reason: str | None = None
    pause_note: str | None = None


@dataclass(frozen=True)
class Notice:
    registration_no: str
    ticket: str
    number: str
    service: str
    window: int
    materials: tuple[str, ...]
    note: str | None
    issued_on: date


class WindowDesk:
    def __init__(self, db: Database, halls: HallRegistry, clock: Clock) -> None:
        self.db = db
        self.halls = halls
        self.clock = clock

    def today(self, hall_id: str, window_no: int) -> WindowDay:
        hall = self.halls.get(hall_id)
        if hall.config.window(window_no) is None:
            raise NotFound(f"unknown window {window_no} in hall {hall.id}")
        day = hall.calendar.business_day(self.clock.now())
        with self.db.read() as session:
            rows = session.execute(
                select(Ticket.state, Ticket.case_type, Ticket.started_at, Ticket.finished_at).where(
                    Ticket.hall_id == hall.id,
                    Ticket.business_day == day,
                    Ticket.window_no == window_no,
                )
            ).all()
            window = session.scalar(
                select(Window).where(Window.hall_id == hall.id, Window.number == window_no)
            )
        paused = window is not None and window.paused
        by_type: dict[str, int] = {}
        handled: list[float] = []
        states: dict[str, int] = {}
        for state, case_type, started, finished in rows:
            states[state] = states.get(state, 0) + 1
            if state == TicketState.FINISHED and case_type:
                by_type[case_type] = by_type.get(case_type, 0) + 1
                if started is not None and finished is not None:
                    handled.append((finished - started).total_seconds())
        return WindowDay(
            window=window_no,
            day=day,
            called=len(rows),
            finished=states.get(TicketState.FINISHED, 0),
            no_show=states.get(TicketState.NO_SHOW, 0),
            transferred=states.get(TicketState.TRANSFERRED, 0),
            by_case_type=by_type,
            average_handling_seconds=int(sum(handled) / len(handled)) if handled else None,
            pause_reason=window.pause_reason if paused and window else None,
            pause_note=mask_personal_data(window.pause_note)
            if paused and window and window.pause_note
            else None,
        )

    def give_notice(
        self,
        hall_id: str,
        window_no: int,
        ticket_id: str,
        materials: list[str],
        note: str | None,
        actor: Actor,
    ) -> Notice:
        """Record the materials the visitor was told, in writing, are missing."""
        hall = self.halls.get(hall_id)
        now = self.clock.now()
        with self.db.write() as work:
            session = work.session
            row = lock_ticket(session, hall.id, ticket_id)
            if row.window_no != window_no:
                raise RuleViolation(
                    f"ticket {row.number} is not at window {window_no}", code="not_at_this_window"
                )
            if TicketState(row.state) not in NOTICE_STATES:
                raise RuleViolation(
                    f"ticket {row.number} is {row.state}; a notice is given while serving the "
                    "visitor (start serving first)",
                    code="illegal_state_change",
                )
            service = hall.config.service(row.service_code)
            listed = [m.zh for m in service.publics.materials] if service else []
            picked = _picked(materials, listed, row.service_code)
            day = hall.calendar.business_day(now)
            serial = bump_counter(session, hall.id, day, "notice")
            registration = f"GZ{day:%Y%m%d}-{serial:03d}"
            append_event(
                work,
                hall.id,
                NOTICE_GIVEN,
                now,
                actor=actor,
                ticket_id=row.id,
                window=window_no,
                payload={
                    "number": row.number,
                    "service": row.service_code,
                    "materials": list(picked),
                    "note": note,
                    "registration_no": registration,
                },
            )
            return Notice(
                registration, row.id, row.number, row.service_code, window_no, picked, note, day
            )


def _picked(materials: list[str], listed: list[str], service: str) -> tuple[str, ...]:
    if not materials:
        raise RuleViolation(
            "a one-time notice names at least one missing material", code="invalid_request"
        )
    unknown = [m for m in materials if m not in listed]
    if unknown:
        raise RuleViolation(
            f"{unknown} are not among the published materials of service {service} "
            f"({'; '.join(listed) or 'none listed'}); add anything else as a note",
            code="invalid_request",
        )
    return tuple(m for m in listed if m in materials)
