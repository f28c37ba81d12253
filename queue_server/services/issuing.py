"""Taking a number: the ticket, its number and its event, then its place and wait."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Table, bindparam, exists, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from queue_server.domain.errors import (
    DailyCapReached,
    HallClosed,
    IssuingStopped,
    RuleViolation,
)
from queue_server.domain.estimate import WaitEstimate
from queue_server.domain.estimate_calibration import (
    Calibration,
    estimate_at_issue,
    issued_payload,
)
from queue_server.domain.events import EventKind
from queue_server.domain.tickets import (
    Priority,
    TicketState,
    format_number,
)
from queue_server.services.database import Job, Work
from queue_server.services.errors import Conflict, NotFound
from queue_server.services.estimates_now import window_states
from queue_server.services.event_log import SYSTEM, Actor, append_event
from queue_server.services.floor_day import ensure_floor_day
from queue_server.services.forecast import windows_now
from queue_server.services.hall_lock import hold_hall
from queue_server.services.halls import HallContext
from queue_server.services.issue_inputs import remembered
from queue_server.services.prepared import PreparedRead, PreparedWrite
from queue_server.services.queries import (
    NEW_TICKET_COLUMNS,
    bump_counter,
    count_ahead,
    handling_minutes,
    open_capacity,
    open_windows,
    service_capacity,
)
from queue_server.services.queue_base import QueueBase
from queue_server.services.views import IssuedTicket, TicketView
from queue_server.storage.tables import (
    Counter,
    IdempotencyKey,
    Service,
    Ticket,
)

_KEYS = cast(Table, IdempotencyKey.__table__)
_SERVICES = cast(Table, Service.__table__)
# Built once: they run on every ticket.
_SEEN_KEY = select(_KEYS.c.fingerprint, _KEYS.c.ticket_id).where(
    _KEYS.c.hall_id == bindparam("hall_id"), _KEYS.c.key == bindparam("key")
)
_ISSUING_STOPPED = PreparedRead(
    select(_SERVICES.c.issuing_stopped).where(
        _SERVICES.c.hall_id == bindparam("hall_id"), _SERVICES.c.code == bindparam("code")
    )
)
_INSERT_TICKET = PreparedWrite(insert(cast(Table, Ticket.__table__)), NEW_TICKET_COLUMNS)
_KEY_COLUMNS = ["hall_id", "key", "fingerprint", "ticket_id", "created_at"]
_CLAIM_KEY_SQLITE = PreparedRead(
    sqlite_insert(_KEYS)
    .on_conflict_do_nothing(index_elements=["hall_id", "key"])
    .returning(_KEYS.c.key),
    _KEY_COLUMNS,
)
_CLAIM_KEY_PG = PreparedRead(
    pg_insert(_KEYS)
    .on_conflict_do_nothing(index_elements=["hall_id", "key"])
    .returning(_KEYS.c.key),
    _KEY_COLUMNS,
)


def _claim_then_number() -> PreparedRead:
    """PostgreSQL: the key's claim and the number's counter in one round trip (issue 22),
    their locks taken in the order the two statements took them (the key's, then the
    counter's). The counter moves only if the key was new, so a replay takes no number.
    Answers (1 if the key was new, the number's value); the value is NULL when the key was
    not new, or when the day's counter does not exist yet (its first ticket: `bump_counter`
    makes it)."""
    counters = cast(Table, Counter.__table__)
    claimed = (
        pg_insert(_KEYS)
        .values({name: bindparam(name) for name in _KEY_COLUMNS})
        .on_conflict_do_nothing(index_elements=["hall_id", "key"])
        .returning(_KEYS.c.key)
        .cte("claimed")
    )
    bumped = (
        update(counters)
        .where(
            counters.c.hall_id == bindparam("b_hall"),
            counters.c.business_day == bindparam("b_day"),
            counters.c.key == bindparam("b_key"),
            exists(select(claimed.c.key)),
        )
        .values(value=counters.c.value + 1)
        .returning(counters.c.value)
        .cte("bumped")
    )
    return PreparedRead(
        select(
            select(func.count()).select_from(claimed).scalar_subquery(),
            select(bumped.c.value).scalar_subquery(),
        )
    )


_CLAIM_THEN_NUMBER = _claim_then_number()


@dataclass(frozen=True)
class IssueRequest:
    service: str
    priority: Priority = Priority.NORMAL
    idempotency_key: str | None = None
    order_at: datetime | None = None  # appointments: the booked time


class IssuingMixin(QueueBase):
    def issue(self, hall_id: str, request: IssueRequest, actor: Actor = SYSTEM) -> IssuedTicket:
        return self.db.run(self.issue_job(hall_id, request, actor))

    def issue_job(self, hall_id: str, request: IssueRequest, actor: Actor) -> Job[IssuedTicket]:
        """Taking a number as a job (Database.run / run_together); a request the hall's
        configuration refuses (unknown service, no green channel) raises here."""
        hall = self.halls.get(hall_id)
        self._check_request(hall, request)
        prepared: list[tuple[datetime, Calibration]] = []

        def before() -> None:
            prepared.append(self._before_writing(hall))

        def apply(work: Work) -> TicketView | str:
            now, calibration = prepared[-1]
            return self._issue_in(work, hall, request, actor, now, calibration)

        return Job(apply=apply, before=before, after=self._answer)

    def _check_request(self, hall: HallContext, request: IssueRequest) -> None:
        service = hall.config.service(request.service)
        if service is None:
            known = ", ".join(s.code for s in hall.config.services)
            raise NotFound(f"unknown service {request.service!r} (this hall has: {known})")
        if request.priority is Priority.GREEN and not service.green_channel:
            raise RuleViolation(
                f"service {service.code} has no green channel in this hall",
                code="green_channel_not_offered",
            )

    def _answer(self, issued: TicketView | str) -> IssuedTicket:
        if isinstance(issued, str):
            # A replay: the ticket as it stands now (it may have been called since).
            return IssuedTicket(self.get_ticket(issued), replayed=True)
        return IssuedTicket(issued, replayed=False)

    def _before_writing(self, hall: HallContext) -> tuple[datetime, Calibration]:
        now = self.clock.now()
        ensure_floor_day(self.db, hall.id, hall.calendar.business_day(now))
        # Fitted once a day (it reads a month of events), before the write transaction.
        return now, self.calibrations.for_hall(hall, now)

    def _issue_in(
        self,
        work: Work,
        hall: HallContext,
        request: IssueRequest,
        actor: Actor,
        now: datetime,
        calibration: Calibration,
    ) -> TicketView | str:
        """Writes the ticket and its event in the transaction `work` and returns the new ticket
        with its place and estimate, counted in that same transaction; for a replayed
        Idempotency-Key, the id of the ticket issued before."""
        fingerprint = hashlib.sha256(
            f"{request.service}|{request.priority.value}".encode()
        ).hexdigest()
        session = work.session
        # On PostgreSQL the hall's first locks, before the key's and the counters' (hall_lock.py).
        hold_hall(session, hall.id)
        ticket_id = uuid.uuid4().hex
        status = hall.calendar.status(now)
        config = hall.config.service(request.service)
        assert config is not None
        day = hall.calendar.business_day(now)
        number_key = f"prefix:{config.prefix}"
        seq_no: int | None = None
        if request.idempotency_key:
            # The key is claimed first, by an insert that does nothing if the key exists: a
            # second request with it (a double tap, a retry after a lost answer, even from
            # another worker at the same instant: PostgreSQL waits for the first to commit)
            # finds the first one's ticket instead of failing.
            key_values = {
                "hall_id": hall.id,
                "key": request.idempotency_key,
                "fingerprint": fingerprint,
                "ticket_id": ticket_id,
                "created_at": now,
            }
            if (
                self.db.is_postgres
                and status.can_issue
                and config.daily_cap is None
                and not self._stopped(session, hall.id, request.service)
            ):
                # Nothing between the claim and the number can refuse this ticket: both in
                # one statement.
                [(claimed, seq_no)] = _CLAIM_THEN_NUMBER.rows(
                    session, key_values | {"b_hall": hall.id, "b_day": day, "b_key": number_key}
                )
            else:
                claim = _CLAIM_KEY_PG if self.db.is_postgres else _CLAIM_KEY_SQLITE
                claimed = len(claim.rows(session, key_values))
            if not claimed:
                seen = session.execute(
                    _SEEN_KEY, {"hall_id": hall.id, "key": request.idempotency_key}
                ).one()
                if seen.fingerprint != fingerprint:
                    raise Conflict(
                        "this Idempotency-Key was already used for a different request",
                        code="idempotency_key_reused",
                    )
                return str(seen.ticket_id)
        if not status.can_issue:
            raise HallClosed(_closed_message(status.state.value, status.next_opening, hall))
        if self._stopped(session, hall.id, request.service):
            raise IssuingStopped(f"issuing is stopped for service {request.service} today")
        if config.daily_cap is not None:
            cap_key = f"service:{config.code}"
            issued_today = bump_counter(session, hall.id, day, cap_key)
            if issued_today > config.daily_cap:
                # Taken back in this transaction, which holds the counter's lock: a refused
                # ticket leaves nothing behind even without a rollback (the simulator's day
                # runs its issues without a SAVEPOINT).
                bump_counter(session, hall.id, day, cap_key, by=-1)
                raise DailyCapReached(
                    f"service {config.code} has reached its daily cap of {config.daily_cap} "
                    "tickets; please come back on the next working day"
                )
        if seq_no is None:
            seq_no = bump_counter(session, hall.id, day, number_key)
        values = {
            "id": ticket_id,
            "hall_id": hall.id,
            "service_code": config.code,
            "business_day": day,
            "prefix": config.prefix,
            "seq_no": seq_no,
            "number": format_number(config.prefix, seq_no),
            "priority": request.priority.value,
            "state": TicketState.WAITING.value,
            "recall_count": 0,
            "issued_at": now,
            "order_at": request.order_at or now,
        }
        # Not added to the session (the row is written by a statement): it carries the new
        # ticket's fields to the count of people ahead and to the answer.
        ticket = Ticket(**values)
        # Counted before COMMIT: the place a visitor is told is exactly the queue their
        # ticket joined, and no read transaction follows the write one. On PostgreSQL the
        # count's statement inserts the ticket (one round trip for the two).
        if self.db.is_postgres:
            ahead = count_ahead(session, hall, ticket, now, just_issued=True, inserting=values)
        else:
            _INSERT_TICKET.run(session, values)
            ahead = count_ahead(session, hall, ticket, now, just_issued=True)
        estimate = self._estimate(session, hall, ticket, ahead, now, calibration)
        append_event(
            work,
            hall.id,
            EventKind.TICKET_ISSUED,
            now,
            actor=actor,
            ticket_id=ticket.id,
            payload={
                "number": ticket.number,
                "service": ticket.service_code,
                "priority": ticket.priority,
                # What the visitor was told, kept to measure estimates against real waits
                # and to fit the next calibration.
                **issued_payload(estimate, ahead),
            },
        )
        return TicketView.of(ticket, ahead=ahead, estimate=estimate)

    def _stopped(self, session: Session, hall_id: str, service: str) -> bool:
        """Whether the duty lead stopped issuing for the service today (read once a
        transaction, issue_inputs.py)."""
        stopped = remembered(
            session,
            ("stopped", hall_id, service),
            lambda: _ISSUING_STOPPED.rows(session, {"hall_id": hall_id, "code": service}),
        )
        assert stopped, f"service {service} has no row in hall {hall_id}"
        return bool(stopped[0][0])

    def get_ticket(self, ticket_id: str) -> TicketView:
        with self.db.read() as session:
            row = session.get(Ticket, ticket_id)
            if row is None:
                raise NotFound(f"no ticket with id {ticket_id!r}")
            return self._with_estimate(session, self.halls.get(row.hall_id), row)

    # ----- calling -----------------------------------------------------------------------

    def _with_estimate(self, session: Session, hall: HallContext, row: Ticket) -> TicketView:
        if row.state != TicketState.WAITING:
            return TicketView.of(row)
        now = self.clock.now()
        ahead = count_ahead(session, hall, row, now)
        calibration = self.calibrations.for_hall(hall, now)
        estimate = self._estimate(session, hall, row, ahead, now, calibration)
        return TicketView.of(row, ahead=ahead, estimate=estimate)

    def _estimate(
        self,
        session: Session,
        hall: HallContext,
        row: Ticket,
        ahead: int,
        now: datetime,
        calibration: Calibration,
    ) -> WaitEstimate:
        service = row.service_code
        config = hall.config.service(service)
        assert config is not None
        # Nobody ahead: the windows' own state gives one figure, never a wide range (not for
        # a ticket sent to one window by name: that window's queue is not the service's).
        # Otherwise the service's open capacity is all the estimate reads of the windows.
        if ahead == 0 and row.target_window is None:
            open_now = open_windows(session, hall.id)
            capacity = open_capacity(open_now, service)
            windows = window_states(session, hall, service, now, row.id, windows_now(open_now, now))
        else:
            capacity = service_capacity(session, hall.id, service)
            windows = None
        return estimate_at_issue(
            ahead,
            capacity,
            handling_minutes(session, hall.id, service),
            config.default_handling_minutes,
            service=service,
            calibration=calibration,
            windows=windows,
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
