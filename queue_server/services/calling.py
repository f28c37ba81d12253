"""Calling tickets to a window: next by the call policy, or a given number with a reason."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from queue_server.domain.call_policy import (
    check_specific_call,
    choose_next,
)
from queue_server.domain.errors import (
    IllegalTransition,
    NotServedHere,
    RuleViolation,
    WindowBusy,
    WindowPaused,
)
from queue_server.domain.events import EventKind
from queue_server.domain.tickets import (
    TicketState,
)
from queue_server.services.database import Job, Work
from queue_server.services.errors import Conflict, NotFound
from queue_server.services.event_log import SYSTEM, Actor, append_event
from queue_server.services.floor_day import ensure_floor_day
from queue_server.services.halls import HallContext
from queue_server.services.queries import (
    ReadyWindow,
    claim_and_call,
    queue_heads,
    ready_window_row,
    recent_priorities,
    waiting_candidates,
    window_services,
)
from queue_server.services.queue_base import QueueBase
from queue_server.services.views import TicketView
from queue_server.storage.tables import Ticket, TicketRow


class CallingMixin(QueueBase):
    def call_next(self, hall_id: str, window_no: int, actor: Actor = SYSTEM) -> TicketView | None:
        return self.db.run(self.call_next_job(hall_id, window_no, actor))

    def call_next_job(
        self, hall_id: str, window_no: int, actor: Actor = SYSTEM
    ) -> Job[TicketView | None]:
        """Calling the next ticket as a job (Database.run / run_together)."""
        hall = self.halls.get(hall_id)

        def before() -> None:
            ensure_floor_day(self.db, hall.id, hall.calendar.business_day(self.clock.now()))

        def apply(work: Work) -> TicketView | None:
            now = self.clock.now()
            session = work.session
            # Its first lock, on PostgreSQL: the hall (hall_lock.hold_hall), then the window.
            window = self._ready_window(session, hall, window_no)
            services = window_services(session, hall.id, window_no)
            recent = recent_priorities(session, hall.id, window_no, hall.policy)
            tried: set[str] = set()
            while True:
                # Re-read after a lost claim: another window took that head, and the next
                # ticket of the same group becomes a head.
                heads = queue_heads(session, hall.id, services, window_no, exclude=tried)
                choice = choose_next(heads, services, now, hall.policy, recent)
                if choice is None:
                    return None
                called = claim_and_call(session, choice.ticket_id, window_no, now)
                if called is not None:
                    break
                tried.add(choice.ticket_id)
            self._mark_called(work, hall, window, called, now, actor, reason=None)
            return TicketView.of(called)

        return Job(apply=apply, before=before)

    def call_specific(
        self,
        hall_id: str,
        window_no: int,
        number_or_id: str,
        reason: str | None,
        actor: Actor = SYSTEM,
    ) -> TicketView:
        hall = self.halls.get(hall_id)
        now = self.clock.now()
        ensure_floor_day(self.db, hall.id, hall.calendar.business_day(now))
        with self.db.write() as work:
            session = work.session
            window = self._ready_window(session, hall, window_no)
            row = self._find_today(session, hall, number_or_id, now)
            if row.state != TicketState.WAITING:
                where = f" at window {row.window_no}" if row.window_no else ""
                raise IllegalTransition(
                    f"ticket {row.number} is {row.state}{where}; "
                    "only a waiting ticket can be called"
                )
            services = window_services(session, hall.id, window_no)
            candidates = waiting_candidates(session, hall.id, services, window_no)
            target = next((c for c in candidates if c.ticket_id == row.id), None)
            if target is None:
                raise NotServedHere(
                    f"window {window_no} does not serve ticket {row.number} "
                    f"(service {row.service_code})"
                )
            recent = recent_priorities(session, hall.id, window_no, hall.policy)
            out_of_order = check_specific_call(
                target, candidates, services, now, hall.policy, recent, reason
            )
            called = claim_and_call(session, row.id, window_no, now)
            if called is None:
                raise Conflict(f"ticket {row.number} was just called at another window")
            # The loaded row no longer matches the database; reading it again reloads it.
            session.expire(row)
            self._mark_called(
                work, hall, window, called, now, actor, reason=reason if out_of_order else None
            )
            return TicketView.of(called)

    def _mark_called(
        self,
        work: Work,
        hall: HallContext,
        window: Any,
        row: Ticket | TicketRow,
        now: datetime,
        actor: Actor,
        reason: str | None,
    ) -> None:
        payload: dict[str, Any] = {
            "number": row.number,
            "service": row.service_code,
            "priority": row.priority,
            "window_name": window.name_zh,
            # An appointment queues from its slot; called before it, it did not wait at all.
            "waited_seconds": max(0, int((now - row.order_at).total_seconds())),
        }
        if reason is not None:
            payload["out_of_order"] = True
            payload["reason"] = reason
        append_event(
            work,
            hall.id,
            EventKind.TICKET_CALLED,
            now,
            actor=actor,
            ticket_id=row.id,
            window=window.number,
            payload=payload,
        )

    # ----- moves at a window -------------------------------------------------------------

    def _ready_window(self, session: Session, hall: HallContext, window_no: int) -> ReadyWindow:
        """The window's row (locked: calls at one window take turns), if it may call now."""
        window = ready_window_row(session, hall.id, window_no)
        if not window.is_open:
            raise RuleViolation(f"window {window_no} is closed", code="window_closed")
        if window.paused:
            raise WindowPaused(
                f"window {window_no} is paused ({window.pause_reason}); resume it before calling"
            )
        if window.busy_number is not None:
            raise WindowBusy(
                f"window {window_no} still has {window.busy_number} ({window.busy_state}); "
                "finish, hold, transfer or mark it no-show first"
            )
        return window

    def _find_today(
        self, session: Session, hall: HallContext, number_or_id: str, now: datetime
    ) -> Ticket:
        """A ticket by id, or by today's number (the open leg, if it was transferred)."""
        row = session.get(Ticket, number_or_id)
        if row is not None and row.hall_id == hall.id:
            return row
        row = session.scalars(
            select(Ticket)
            .where(
                Ticket.hall_id == hall.id,
                Ticket.business_day == hall.calendar.business_day(now),
                Ticket.number == number_or_id.strip().upper(),
                Ticket.transferred_to.is_(None),
            )
            .order_by(Ticket.issued_at.desc())
        ).first()
        if row is None:
            raise NotFound(f"no ticket {number_or_id!r} today in hall {hall.id}")
        return row

    # ----- waiting position and estimate ---------------------------------------------------
