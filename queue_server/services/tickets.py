"""Issuing tickets and moving them through the hall: the transactions around the rules."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from queue_server.domain.call_policy import (
    check_specific_call,
    choose_next,
)
from queue_server.domain.clock import Clock
from queue_server.domain.errors import (
    DailyCapReached,
    HallClosed,
    IllegalTransition,
    IssuingStopped,
    NotServedHere,
    RuleViolation,
    WindowBusy,
    WindowPaused,
)
from queue_server.domain.estimate import WaitEstimate, estimate_wait
from queue_server.domain.tickets import (
    Action,
    CaseType,
    Priority,
    TicketState,
    format_number,
    next_state,
)
from queue_server.services.database import Database, Work
from queue_server.services.errors import Conflict, NotFound
from queue_server.services.event_log import SYSTEM, Actor, append_event
from queue_server.services.halls import HallContext, HallRegistry
from queue_server.services.queries import (
    bump_counter,
    claim_waiting,
    count_ahead,
    current_ticket,
    handling_minutes,
    lock_ticket,
    lock_window,
    open_capacity,
    queue_heads,
    recent_priorities,
    waiting_candidates,
    window_services,
)
from queue_server.services.views import IssuedTicket, TicketView
from queue_server.storage.tables import (
    IdempotencyKey,
    Service,
    Ticket,
    Window,
)

PAUSE_REASONS = ("break", "meeting", "backup_cover", "training", "other")


@dataclass(frozen=True)
class IssueRequest:
    service: str
    priority: Priority = Priority.NORMAL
    idempotency_key: str | None = None
    order_at: datetime | None = None  # appointments: the booked time


class QueueService:
    def __init__(self, db: Database, halls: HallRegistry, clock: Clock) -> None:
        self.db = db
        self.halls = halls
        self.clock = clock

    # ----- issuing -----------------------------------------------------------------------

    def issue(self, hall_id: str, request: IssueRequest, actor: Actor = SYSTEM) -> IssuedTicket:
        hall = self.halls.get(hall_id)
        service = hall.config.service(request.service)
        if service is None:
            known = ", ".join(s.code for s in hall.config.services)
            raise NotFound(f"unknown service {request.service!r} (this hall has: {known})")
        if request.priority is Priority.GREEN and not service.green_channel:
            raise RuleViolation(
                f"service {service.code} has no green channel in this hall",
                code="green_channel_not_offered",
            )
        try:
            ticket_id, replayed = self._issue_once(hall, request, actor)
        except IntegrityError:
            # Two requests with the same Idempotency-Key raced on PostgreSQL; the loser's
            # insert failed, so the winner's ticket now exists and is returned to both.
            if request.idempotency_key is None:
                raise
            ticket_id, replayed = self._issue_once(hall, request, actor)
        # The position and estimate are read after COMMIT so the write lock is held only for
        # the writes themselves; "ahead at issue time" may then count a ticket issued in the
        # same millisecond, which no visitor can tell apart.
        return IssuedTicket(self.get_ticket(ticket_id), replayed=replayed)

    def _issue_once(
        self, hall: HallContext, request: IssueRequest, actor: Actor
    ) -> tuple[str, bool]:
        """Writes the ticket and its event; returns (ticket id, whether it already existed)."""
        now = self.clock.now()
        fingerprint = hashlib.sha256(
            f"{request.service}|{request.priority.value}".encode()
        ).hexdigest()
        with self.db.write() as work:
            session = work.session
            if request.idempotency_key:
                seen = session.get(IdempotencyKey, (hall.id, request.idempotency_key))
                if seen is not None:
                    if seen.fingerprint != fingerprint:
                        raise Conflict(
                            "this Idempotency-Key was already used for a different request",
                            code="idempotency_key_reused",
                        )
                    return seen.ticket_id, True
            status = hall.calendar.status(now)
            if not status.can_issue:
                raise HallClosed(_closed_message(status.state.value, status.next_opening, hall))
            service_row = session.get(Service, (hall.id, request.service))
            assert service_row is not None
            if service_row.issuing_stopped:
                raise IssuingStopped(f"issuing is stopped for service {request.service} today")
            config = hall.config.service(request.service)
            assert config is not None
            day = hall.calendar.business_day(now)
            if config.daily_cap is not None:
                issued_today = bump_counter(session, hall.id, day, f"service:{config.code}")
                if issued_today > config.daily_cap:
                    raise DailyCapReached(
                        f"service {config.code} has reached its daily cap of {config.daily_cap} "
                        "tickets; please come back on the next working day"
                    )
            seq_no = bump_counter(session, hall.id, day, f"prefix:{config.prefix}")
            ticket = Ticket(
                id=uuid.uuid4().hex,
                hall_id=hall.id,
                service_code=config.code,
                business_day=day,
                prefix=config.prefix,
                seq_no=seq_no,
                number=format_number(config.prefix, seq_no),
                priority=request.priority.value,
                state=TicketState.WAITING.value,
                recall_count=0,
                issued_at=now,
                order_at=request.order_at or now,
            )
            session.add(ticket)
            if request.idempotency_key:
                session.add(
                    IdempotencyKey(
                        hall_id=hall.id,
                        key=request.idempotency_key,
                        fingerprint=fingerprint,
                        ticket_id=ticket.id,
                        created_at=now,
                    )
                )
            session.flush()
            append_event(
                work,
                hall.id,
                "ticket.issued",
                now,
                actor=actor,
                ticket_id=ticket.id,
                payload={
                    "number": ticket.number,
                    "service": ticket.service_code,
                    "priority": ticket.priority,
                },
            )
            return ticket.id, False

    def get_ticket(self, ticket_id: str) -> TicketView:
        with self.db.read() as session:
            row = session.get(Ticket, ticket_id)
            if row is None:
                raise NotFound(f"no ticket with id {ticket_id!r}")
            return self._with_estimate(session, self.halls.get(row.hall_id), row)

    # ----- calling -----------------------------------------------------------------------

    def call_next(self, hall_id: str, window_no: int, actor: Actor = SYSTEM) -> TicketView | None:
        hall = self.halls.get(hall_id)
        now = self.clock.now()
        with self.db.write() as work:
            session = work.session
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
                if claim_waiting(session, choice.ticket_id):
                    break
                tried.add(choice.ticket_id)
            row = session.get(Ticket, choice.ticket_id)
            assert row is not None
            session.refresh(row)
            self._mark_called(work, hall, window, row, now, actor, reason=None)
            return TicketView.of(row)

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
            if not claim_waiting(session, row.id):
                raise Conflict(f"ticket {row.number} was just called at another window")
            session.refresh(row)
            self._mark_called(
                work, hall, window, row, now, actor, reason=reason if out_of_order else None
            )
            return TicketView.of(row)

    def _mark_called(
        self,
        work: Work,
        hall: HallContext,
        window: Window,
        row: Ticket,
        now: datetime,
        actor: Actor,
        reason: str | None,
    ) -> None:
        row.window_no = window.number
        row.called_at = now
        payload: dict[str, Any] = {
            "number": row.number,
            "service": row.service_code,
            "priority": row.priority,
            "window_name": window.name_zh,
            "waited_seconds": int((now - row.order_at).total_seconds()),
        }
        if reason is not None:
            payload["out_of_order"] = True
            payload["reason"] = reason
        append_event(
            work,
            hall.id,
            "ticket.called",
            now,
            actor=actor,
            ticket_id=row.id,
            window=window.number,
            payload=payload,
        )

    # ----- moves at a window -------------------------------------------------------------

    def recall(
        self, hall_id: str, window_no: int, ticket_id: str, actor: Actor = SYSTEM
    ) -> TicketView:
        hall = self.halls.get(hall_id)
        now = self.clock.now()
        with self.db.write() as work:
            row = self._ticket_at_window(work.session, hall, window_no, ticket_id)
            limit = hall.config.call_policy.max_recalls
            if row.recall_count >= limit:
                # The hall's rule: after max_recalls recalls the visitor is a no-show (过号).
                self._move(row, Action.NO_SHOW)
                row.finished_at = now
                append_event(
                    work,
                    hall.id,
                    "ticket.no_show",
                    now,
                    actor=actor,
                    ticket_id=row.id,
                    window=window_no,
                    payload={"number": row.number, "reason": f"not present after {limit} recalls"},
                )
                return TicketView.of(row)
            self._move(row, Action.RECALL)
            row.recall_count += 1
            append_event(
                work,
                hall.id,
                "ticket.recalled",
                now,
                actor=actor,
                ticket_id=row.id,
                window=window_no,
                payload={
                    "number": row.number,
                    "service": row.service_code,
                    "recall_count": row.recall_count,
                    "max_recalls": limit,
                },
            )
            return TicketView.of(row)

    def no_show(
        self, hall_id: str, window_no: int, ticket_id: str, actor: Actor = SYSTEM
    ) -> TicketView:
        return self._simple_move(
            hall_id,
            window_no,
            ticket_id,
            Action.NO_SHOW,
            "ticket.no_show",
            actor,
            stamp="finished_at",
        )

    def start(
        self, hall_id: str, window_no: int, ticket_id: str, actor: Actor = SYSTEM
    ) -> TicketView:
        return self._simple_move(
            hall_id, window_no, ticket_id, Action.START, "ticket.started", actor, stamp="started_at"
        )

    def hold(
        self, hall_id: str, window_no: int, ticket_id: str, note: str | None, actor: Actor = SYSTEM
    ) -> TicketView:
        return self._simple_move(
            hall_id,
            window_no,
            ticket_id,
            Action.HOLD,
            "ticket.held",
            actor,
            stamp="held_at",
            extra={"note": note} if note else None,
        )

    def return_(
        self, hall_id: str, window_no: int, ticket_id: str, actor: Actor = SYSTEM
    ) -> TicketView:
        hall = self.halls.get(hall_id)
        now = self.clock.now()
        with self.db.write() as work:
            session = work.session
            window = lock_window(session, hall.id, window_no)
            row = self._ticket_at_window(session, hall, window_no, ticket_id)
            current = current_ticket(session, hall.id, window.number)
            if current is not None and current.id != row.id:
                raise WindowBusy(
                    f"window {window_no} is busy with {current.number}; finish or hold it before "
                    f"{row.number} returns"
                )
            self._move(row, Action.RETURN)
            held_seconds = int((now - row.held_at).total_seconds()) if row.held_at else 0
            if row.started_at is None:
                row.started_at = now
            row.held_at = None
            append_event(
                work,
                hall.id,
                "ticket.returned",
                now,
                actor=actor,
                ticket_id=row.id,
                window=window_no,
                payload={"number": row.number, "held_seconds": held_seconds},
            )
            return TicketView.of(row)

    def finish(
        self,
        hall_id: str,
        window_no: int,
        ticket_id: str,
        case_type: CaseType,
        deadline: date | None = None,
        actor: Actor = SYSTEM,
    ) -> TicketView:
        hall = self.halls.get(hall_id)
        now = self.clock.now()
        with self.db.write() as work:
            row = self._ticket_at_window(work.session, hall, window_no, ticket_id)
            self._move(row, Action.FINISH)
            row.finished_at = now
            row.case_type = case_type.value
            payload: dict[str, Any] = {
                "number": row.number,
                "service": row.service_code,
                "case_type": case_type.value,
                "handling_seconds": int((now - (row.started_at or now)).total_seconds()),
            }
            if case_type is CaseType.PROMISED:
                row.deadline = self._promised_deadline(hall, row.service_code, now, deadline)
                payload["deadline"] = row.deadline.isoformat()
            elif deadline is not None:
                raise RuleViolation(
                    "only a promised case (承诺件) carries a deadline", code="invalid_deadline"
                )
            append_event(
                work,
                hall.id,
                "ticket.finished",
                now,
                actor=actor,
                ticket_id=row.id,
                window=window_no,
                payload=payload,
            )
            return TicketView.of(row)

    def promised_deadline(self, hall_id: str, service_code: str) -> date:
        """The deadline a promised case of this service finished now would get by default."""
        hall = self.halls.get(hall_id)
        if hall.config.service(service_code) is None:
            raise NotFound(f"unknown service {service_code!r}")
        return self._promised_deadline(hall, service_code, self.clock.now(), None)

    def _promised_deadline(
        self, hall: HallContext, service_code: str, now: datetime, requested: date | None
    ) -> date:
        today = hall.calendar.business_day(now)
        # DOMAIN.md: a promised case takes at least one working day.
        earliest = hall.calendar.add_working_days(today, 1)
        if requested is None:
            service = hall.config.service(service_code)
            days = max(1, service.publics.time_limit_days if service else 1)
            return hall.calendar.add_working_days(today, days)
        if requested < earliest:
            raise RuleViolation(
                f"a promised case's deadline must be at least one working day ahead "
                f"({earliest.isoformat()} or later)",
                code="invalid_deadline",
            )
        return requested

    def transfer(
        self,
        hall_id: str,
        window_no: int,
        ticket_id: str,
        *,
        to_service: str | None,
        to_window: int | None,
        note: str,
        actor: Actor = SYSTEM,
    ) -> TicketView:
        """End this leg and queue a new one for the target, keeping number and issue time."""
        hall = self.halls.get(hall_id)
        now = self.clock.now()
        if to_service is None and to_window is None:
            raise RuleViolation(
                "a transfer needs a target service or window", code="transfer_target_missing"
            )
        if not note.strip():
            raise RuleViolation(
                "a transfer needs a note for the next window (first-contact responsibility)",
                code="reason_required",
            )
        with self.db.write() as work:
            session = work.session
            row = self._ticket_at_window(session, hall, window_no, ticket_id)
            target_service = to_service or row.service_code
            if hall.config.service(target_service) is None:
                raise NotFound(f"unknown service {target_service!r}")
            if to_window is not None:
                target = hall.config.window(to_window)
                if target is None:
                    raise NotFound(f"unknown window {to_window}")
                if to_window == window_no and target_service == row.service_code:
                    raise RuleViolation(
                        "a transfer must go to another service or another window",
                        code="transfer_to_self",
                    )
                if target_service not in window_services(session, hall.id, to_window).weights:
                    raise NotServedHere(
                        f"window {to_window} does not serve service {target_service}"
                    )
            elif target_service == row.service_code:
                raise RuleViolation(
                    "a transfer must go to another service or another window",
                    code="transfer_to_self",
                )
            self._move(row, Action.TRANSFER)
            row.finished_at = now
            leg = Ticket(
                id=uuid.uuid4().hex,
                hall_id=hall.id,
                service_code=target_service,
                business_day=row.business_day,
                prefix=row.prefix,
                seq_no=row.seq_no,
                number=row.number,
                priority=row.priority,
                state=TicketState.WAITING.value,
                recall_count=0,
                issued_at=row.issued_at,
                order_at=row.order_at,
                target_window=to_window,
                transferred_from=row.id,
                note=note,
            )
            session.add(leg)
            row.transferred_to = leg.id
            session.flush()
            append_event(
                work,
                hall.id,
                "ticket.transferred",
                now,
                actor=actor,
                ticket_id=row.id,
                window=window_no,
                payload={
                    "number": row.number,
                    "from_service": row.service_code,
                    "to_service": target_service,
                    "to_window": to_window,
                    "new_ticket": leg.id,
                    "note": note,
                },
            )
            return TicketView.of(leg)

    def cancel(
        self, hall_id: str, ticket_id: str, reason: str, actor: Actor = SYSTEM
    ) -> TicketView:
        hall = self.halls.get(hall_id)
        now = self.clock.now()
        with self.db.write() as work:
            row = lock_ticket(work.session, hall.id, ticket_id)
            self._move(row, Action.CANCEL)
            row.finished_at = now
            append_event(
                work,
                hall.id,
                "ticket.cancelled",
                now,
                actor=actor,
                ticket_id=row.id,
                payload={"number": row.number, "reason": reason},
            )
            return TicketView.of(row)

    # ----- windows -----------------------------------------------------------------------

    def pause(
        self, hall_id: str, window_no: int, reason: str, note: str | None, actor: Actor = SYSTEM
    ) -> None:
        hall = self.halls.get(hall_id)
        if reason not in PAUSE_REASONS:
            raise RuleViolation(
                f"unknown pause reason {reason!r}; use one of {', '.join(PAUSE_REASONS)}",
                code="invalid_reason",
            )
        now = self.clock.now()
        with self.db.write() as work:
            session = work.session
            window = lock_window(session, hall.id, window_no)
            if window.paused:
                raise WindowPaused(f"window {window_no} is already paused ({window.pause_reason})")
            current = current_ticket(session, hall.id, window_no)
            if current is not None:
                raise WindowBusy(
                    f"window {window_no} is serving {current.number}; finish, hold or transfer it "
                    "before pausing"
                )
            window.paused = True
            window.pause_reason = reason
            window.pause_note = note
            window.paused_at = now
            append_event(
                work,
                hall.id,
                "window.paused",
                now,
                actor=actor,
                window=window_no,
                payload={"reason": reason, "note": note},
            )

    def resume(self, hall_id: str, window_no: int, actor: Actor = SYSTEM) -> None:
        hall = self.halls.get(hall_id)
        now = self.clock.now()
        with self.db.write() as work:
            window = lock_window(work.session, hall.id, window_no)
            if not window.paused:
                raise RuleViolation(f"window {window_no} is not paused", code="not_paused")
            paused_seconds = (
                int((now - window.paused_at).total_seconds()) if window.paused_at else 0
            )
            reason = window.pause_reason
            window.paused = False
            window.pause_reason = None
            window.pause_note = None
            window.paused_at = None
            append_event(
                work,
                hall.id,
                "window.resumed",
                now,
                actor=actor,
                window=window_no,
                payload={"reason": reason, "paused_seconds": paused_seconds},
            )

    # ----- helpers -----------------------------------------------------------------------

    def _simple_move(
        self,
        hall_id: str,
        window_no: int,
        ticket_id: str,
        action: Action,
        kind: str,
        actor: Actor,
        *,
        stamp: str,
        extra: dict[str, Any] | None = None,
    ) -> TicketView:
        hall = self.halls.get(hall_id)
        now = self.clock.now()
        with self.db.write() as work:
            row = self._ticket_at_window(work.session, hall, window_no, ticket_id)
            self._move(row, action)
            setattr(row, stamp, now)
            payload: dict[str, Any] = {"number": row.number, "service": row.service_code}
            payload.update(extra or {})
            append_event(
                work,
                hall.id,
                kind,
                now,
                actor=actor,
                ticket_id=row.id,
                window=window_no,
                payload=payload,
            )
            return TicketView.of(row)

    @staticmethod
    def _move(row: Ticket, action: Action) -> None:
        row.state = next_state(TicketState(row.state), action, number=row.number).value

    def _ready_window(self, session: Session, hall: HallContext, window_no: int) -> Window:
        window = lock_window(session, hall.id, window_no)
        if not window.is_open:
            raise RuleViolation(f"window {window_no} is closed", code="window_closed")
        if window.paused:
            raise WindowPaused(
                f"window {window_no} is paused ({window.pause_reason}); resume it before calling"
            )
        current = current_ticket(session, hall.id, window_no)
        if current is not None:
            raise WindowBusy(
                f"window {window_no} still has {current.number} ({current.state}); finish, hold, "
                "transfer or mark it no-show first"
            )
        return window

    def _ticket_at_window(
        self, session: Session, hall: HallContext, window_no: int, ticket_id: str
    ) -> Ticket:
        """The ticket, locked, provided it belongs to this window; the state machine then
        decides whether the move is legal."""
        if hall.config.window(window_no) is None:
            raise NotFound(f"unknown window {window_no} in hall {hall.id}")
        row = lock_ticket(session, hall.id, ticket_id)
        if row.window_no != window_no:
            where = f"window {row.window_no}" if row.window_no else "no window yet"
            raise RuleViolation(
                f"ticket {row.number} is not at window {window_no} (it is at {where})",
                code="not_at_this_window",
            )
        return row

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

    def _with_estimate(self, session: Session, hall: HallContext, row: Ticket) -> TicketView:
        if row.state != TicketState.WAITING:
            return TicketView.of(row)
        now = self.clock.now()
        ahead = count_ahead(session, hall, row, now)
        estimate = self._estimate(session, hall, row.service_code, ahead)
        return TicketView.of(row, ahead=ahead, estimate=estimate)

    def _estimate(
        self, session: Session, hall: HallContext, service: str, ahead: int
    ) -> WaitEstimate:
        config = hall.config.service(service)
        assert config is not None
        samples = handling_minutes(session, hall.id, service)
        return estimate_wait(
            ahead,
            open_capacity(session, hall.id, service),
            samples,
            config.default_handling_minutes,
        )


def _closed_message(state: str, next_opening: datetime | None, hall: HallContext) -> str:
    reasons = {
        "past_cutoff": "issuing has stopped for today (cut-off before closing)",
        "between_sessions": "the hall is closed for the midday break",
        "closed_today": "the hall is closed today",
        "before_opening": "the hall is not open yet",
        "after_closing": "the hall has closed for today",
    }
    text = reasons.get(state, "the hall is closed")
    if next_opening is not None:
        local = hall.calendar.local(next_opening)
        text += f"; it opens again at {local:%Y-%m-%d %H:%M}"
    return text


def ticket_views(rows: Sequence[Ticket]) -> list[TicketView]:
    return [TicketView.of(r) for r in rows]
