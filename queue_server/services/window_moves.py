"""What happens to a called ticket at its window: recall, no-show, start, hold, return,
transfer, finish, cancel."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from queue_server.domain.access import elsewhere
from queue_server.domain.errors import (
    NotServedHere,
    RuleViolation,
    WindowBusy,
)
from queue_server.domain.events import EventKind
from queue_server.domain.free_text import mask_personal_data
from queue_server.domain.tickets import (
    Action,
    CaseType,
    TicketState,
    next_state,
)
from queue_server.services.database import Job, Work
from queue_server.services.errors import Forbidden, NotFound
from queue_server.services.event_log import SYSTEM, Actor, append_event
from queue_server.services.halls import HallContext
from queue_server.services.issue_inputs import left_the_queue
from queue_server.services.prepared import PreparedWrite
from queue_server.services.queries import (
    current_ticket,
    lock_ticket,
    lock_window,
    move_at_window,
    window_services,
)
from queue_server.services.queue_base import QueueBase
from queue_server.services.views import TicketView
from queue_server.storage.tables import Ticket, TicketRow


class WindowMovesMixin(QueueBase):
    def recall(
        self, hall_id: str, window_no: int, ticket_id: str, actor: Actor = SYSTEM
    ) -> TicketView:
        return self.db.run(self.recall_job(hall_id, window_no, ticket_id, actor))

    def recall_job(
        self, hall_id: str, window_no: int, ticket_id: str, actor: Actor = SYSTEM
    ) -> Job[TicketView]:
        hall = self.halls.get(hall_id)

        def apply(work: Work) -> TicketView:
            now = self.clock.now()
            row = self._ticket_at_window(work.session, hall, window_no, ticket_id)
            limit = hall.config.call_policy.max_recalls
            if row.recall_count >= limit:
                # The hall's rule: after max_recalls recalls the visitor is a no-show (过号).
                self._move(row, Action.NO_SHOW)
                row.finished_at = now
                append_event(
                    work,
                    hall.id,
                    EventKind.TICKET_NO_SHOW,
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
                EventKind.TICKET_RECALLED,
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

        return Job(apply=apply)

    def no_show(
        self, hall_id: str, window_no: int, ticket_id: str, actor: Actor = SYSTEM
    ) -> TicketView:
        return self.db.run(self.no_show_job(hall_id, window_no, ticket_id, actor))

    def no_show_job(
        self, hall_id: str, window_no: int, ticket_id: str, actor: Actor = SYSTEM
    ) -> Job[TicketView]:
        return self._simple_move_job(
            hall_id,
            window_no,
            ticket_id,
            Action.NO_SHOW,
            EventKind.TICKET_NO_SHOW,
            actor,
            stamp="finished_at",
        )

    def start(
        self, hall_id: str, window_no: int, ticket_id: str, actor: Actor = SYSTEM
    ) -> TicketView:
        return self.db.run(self.start_job(hall_id, window_no, ticket_id, actor))

    def start_job(
        self, hall_id: str, window_no: int, ticket_id: str, actor: Actor = SYSTEM
    ) -> Job[TicketView]:
        return self._simple_move_job(
            hall_id,
            window_no,
            ticket_id,
            Action.START,
            EventKind.TICKET_STARTED,
            actor,
            stamp="started_at",
        )

    def hold(
        self, hall_id: str, window_no: int, ticket_id: str, note: str | None, actor: Actor = SYSTEM
    ) -> TicketView:
        return self.db.run(
            self._simple_move_job(
                hall_id,
                window_no,
                ticket_id,
                Action.HOLD,
                EventKind.TICKET_HELD,
                actor,
                stamp="held_at",
                extra={"note": note} if note else None,
            )
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
                EventKind.TICKET_RETURNED,
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
        return self.db.run(
            self.finish_job(hall_id, window_no, ticket_id, case_type, deadline, actor)
        )

    def finish_job(
        self,
        hall_id: str,
        window_no: int,
        ticket_id: str,
        case_type: CaseType,
        deadline: date | None = None,
        actor: Actor = SYSTEM,
    ) -> Job[TicketView]:
        hall = self.halls.get(hall_id)

        def apply(work: Work) -> TicketView:
            now = self.clock.now()
            row = self._ticket_at_window(work.session, hall, window_no, ticket_id)
            changes: dict[str, Any] = {
                "state": next_state(TicketState(row.state), Action.FINISH, number=row.number).value,
                "finished_at": now,
                "case_type": case_type.value,
            }
            payload: dict[str, Any] = {
                "number": row.number,
                "service": row.service_code,
                "case_type": case_type.value,
                "handling_seconds": int((now - (row.started_at or now)).total_seconds()),
            }
            if case_type is CaseType.PROMISED:
                changes["deadline"] = self._promised_deadline(hall, row.service_code, now, deadline)
                payload["deadline"] = changes["deadline"].isoformat()
            elif deadline is not None:
                raise RuleViolation(
                    "only a promised case (承诺件) carries a deadline", code="invalid_deadline"
                )
            write_ticket(work.session, row, changes)
            append_event(
                work,
                hall.id,
                EventKind.TICKET_FINISHED,
                now,
                actor=actor,
                ticket_id=row.id,
                window=window_no,
                payload=payload,
            )
            return TicketView.of(row)

        return Job(apply=apply)

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
                EventKind.TICKET_TRANSFERRED,
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

    def handover_note(self, hall_id: str, window_no: int, ticket_id: str) -> str | None:
        """The note the sending window wrote for a transferred visitor, for the window that
        has called them: first-contact responsibility means the next window must know."""
        hall = self.halls.get(hall_id)
        with self.db.write() as work:  # _ticket_at_window locks the row
            row = self._ticket_at_window(work.session, hall, window_no, ticket_id)
            if not row.transferred_from or not row.note:
                return None
            return mask_personal_data(row.note)  # staff see notes masked, like the log

    def cancel(
        self, hall_id: str, ticket_id: str, reason: str, actor: Actor = SYSTEM
    ) -> TicketView:
        hall = self.halls.get(hall_id)
        now = self.clock.now()
        with self.db.write() as work:
            row = lock_ticket(work.session, hall.id, ticket_id)
            cancel_locked(work, hall.id, row, now, actor, reason)
            return TicketView.of(row)

    # ----- windows -----------------------------------------------------------------------

    def _simple_move_job(
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
    ) -> Job[TicketView]:
        hall = self.halls.get(hall_id)

        def apply(work: Work) -> TicketView:
            now = self.clock.now()
            _known_window(hall, window_no)
            row: Ticket | TicketRow | None = move_at_window(
                work.session, hall.id, window_no, ticket_id, action, stamp, now
            )
            if row is None:  # not the plain case: the checks below say why, or move it
                locked = self._ticket_at_window(work.session, hall, window_no, ticket_id)
                state = next_state(TicketState(locked.state), action, number=locked.number).value
                write_ticket(work.session, locked, {"state": state, stamp: now})
                row = locked
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

        return Job(apply=apply)

    @staticmethod
    def _move(row: Ticket, action: Action) -> None:
        row.state = next_state(TicketState(row.state), action, number=row.number).value

    def _ticket_at_window(
        self, session: Session, hall: HallContext, window_no: int, ticket_id: str
    ) -> Ticket:
        """The ticket, locked, provided it belongs to this window; the state machine then
        decides whether the move is legal.

        A ticket at another window is refused with 403, as the access check would: these
        moves check it here, in their own transaction, instead of the access check reading
        the ticket before them (api/access.py `CHECKED_BY_THE_MOVE`). The duty lead, who may
        act at any window, gets the same 403 for naming the wrong one: a window moves only
        its own tickets, whoever works it."""
        _known_window(hall, window_no)
        row = lock_ticket(session, hall.id, ticket_id)
        if row.window_no is not None and row.window_no != window_no:
            raise Forbidden(
                elsewhere(row.number, row.window_no, window_no), code="not_at_this_window"
            )
        if row.window_no is None:
            raise RuleViolation(
                f"ticket {row.number} is not at window {window_no} (it is at no window yet)",
                code="not_at_this_window",
            )
        return row


def _known_window(hall: HallContext, window_no: int) -> None:
    if hall.config.window(window_no) is None:
        raise NotFound(f"unknown window {window_no} in hall {hall.id}")


_TICKETS = cast(Table, Ticket.__table__)
# UPDATE statements by the columns they set, each built once.
_TICKET_UPDATES: dict[tuple[str, ...], PreparedWrite] = {}


def write_ticket(session: Session, row: Ticket, changes: dict[str, Any]) -> None:
    """Writes `changes` (column: value) to a locked ticket's row now, and into the object as
    its state in the database: the same UPDATE the unit of work would flush, without the
    unit of work's bookkeeping (every start, no-show and finish pays it)."""
    names = tuple(sorted(changes))
    statement = _TICKET_UPDATES.get(names)
    if statement is None:
        statement = _TICKET_UPDATES[names] = PreparedWrite(
            update(_TICKETS)
            .where(_TICKETS.c.id == bindparam("ticket_id"))
            .values({_TICKETS.c[name]: bindparam(f"new_{name}") for name in names}),
            ["ticket_id", *(f"new_{name}" for name in names)],
        )
    statement.run(
        session, {"ticket_id": row.id, **{f"new_{name}": v for name, v in changes.items()}}
    )
    for name, value in changes.items():
        set_committed_value(row, name, value)


def cancel_locked(
    work: Work, hall_id: str, row: Ticket, now: datetime, actor: Actor, reason: str
) -> None:
    """Cancel a ticket the caller has locked, with its event: the duty lead's cancel and a
    kiosk giving up a ticket it never heard about are the same move."""
    waited = row.state == TicketState.WAITING.value
    row.state = next_state(TicketState(row.state), Action.CANCEL, number=row.number).value
    row.finished_at = now
    if waited and row.target_window is None:
        left_the_queue(work.session, hall_id, row.service_code)
    append_event(
        work,
        hall_id,
        EventKind.TICKET_CANCELLED,
        now,
        actor=actor,
        ticket_id=row.id,
        payload={"number": row.number, "reason": reason},
    )
