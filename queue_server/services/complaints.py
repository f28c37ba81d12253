"""The complaints register (投诉登记): registration, passing to the window, answer, decision,
revisit. Every step is an event naming only the complaint; the complainant's identity stays
in the row and is shown to supervision only (domain/assessment/complaints.py)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from queue_server.domain.assessment.complaints import (
    Channel,
    ComplaintStatus,
    check_step,
    default_deadline,
    is_overdue,
)
from queue_server.domain.clock import Clock
from queue_server.domain.errors import RuleViolation
from queue_server.domain.events import EventKind
from queue_server.domain.free_text import mask_personal_data
from queue_server.domain.masking import mask_name, mask_phone
from queue_server.services.database import Database, Work
from queue_server.services.errors import Conflict, NotFound
from queue_server.services.event_log import Actor, append_event
from queue_server.services.halls import HallContext, HallRegistry
from queue_server.services.staff_numbers import check_staff_no, staff_no_of
from queue_server.storage.assessment_tables import Complaint


@dataclass(frozen=True)
class NewComplaint:
    channel: Channel
    content: str
    complainant_name: str | None = None
    complainant_phone: str | None = None
    complainant_address: str | None = None
    window: int | None = None
    staff_no: str | None = None
    received_at: datetime | None = None  # when it came in (a letter opened later); now if None
    deadline: date | None = None


@dataclass(frozen=True)
class ComplaintView:
    id: str
    hall: str
    received_at: datetime
    channel: Channel
    content: str
    identity_visible: bool
    complainant_name: str | None  # masked (张*三) unless identity_visible
    complainant_phone: str | None  # masked (138****5678) unless identity_visible
    complainant_address: str | None  # None unless identity_visible
    window: int | None
    staff_no: str | None
    deadline: date | None
    overdue: bool
    status: ComplaintStatus
    upheld: bool | None
    answer: str | None
    decision_note: str | None
    decided_on: date | None
    revisit_note: str | None
    registered_by: str | None


def _same_request(row: Complaint, new: NewComplaint) -> bool:
    return (
        row.channel == new.channel.value
        and row.content == new.content
        and row.window_no == new.window
        and row.staff_no == new.staff_no
        and row.complainant_phone == new.complainant_phone
    )


class ComplaintService:
    def __init__(self, db: Database, halls: HallRegistry, clock: Clock) -> None:
        self.db = db
        self.halls = halls
        self.clock = clock

    # ----- reading -------------------------------------------------------------------------

    def list(
        self, hall_id: str, *, reveal: bool, status: ComplaintStatus | None = None
    ) -> list[ComplaintView]:
        hall = self.halls.get(hall_id)
        today = hall.calendar.business_day(self.clock.now())
        with self.db.read() as session:
            query = select(Complaint).where(Complaint.hall_id == hall.id)
            if status is not None:
                query = query.where(Complaint.status == status.value)
            rows = session.scalars(query.order_by(Complaint.received_at, Complaint.id))
            return [_view(row, reveal, today) for row in rows]

    def get(self, hall_id: str, complaint_id: str, *, reveal: bool) -> ComplaintView:
        hall = self.halls.get(hall_id)
        with self.db.read() as session:
            row = _row(session, hall.id, complaint_id)
            return _view(row, reveal, hall.calendar.business_day(self.clock.now()))

    # ----- the steps -------------------------------------------------------------------------

    def register(
        self,
        hall_id: str,
        new: NewComplaint,
        by: Actor,
        *,
        request_key: str | None = None,
        reveal: bool = False,
    ) -> tuple[ComplaintView, bool]:
        """(the complaint, created now). The same `request_key` twice returns the first
        complaint (a retried submission); with different content it is refused (409)."""
        hall = self.halls.get(hall_id)
        _check_window(hall, new.window)
        now = self.clock.now()
        received = new.received_at or now
        if received > now:
            raise RuleViolation("a complaint cannot be received in the future", code="invalid_time")
        if request_key is not None:
            existing = self._by_key(hall, request_key, new, reveal)
            if existing is not None:
                return existing, False
        try:
            with self.db.write() as work:
                check_staff_no(work.session, hall.id, new.staff_no)
                row = Complaint(
                    id=uuid.uuid4().hex,
                    hall_id=hall.id,
                    received_at=received,
                    channel=new.channel.value,
                    content=new.content,
                    complainant_name=new.complainant_name,
                    complainant_phone=new.complainant_phone,
                    complainant_address=new.complainant_address,
                    window_no=new.window,
                    staff_no=new.staff_no,
                    deadline=new.deadline,
                    status=ComplaintStatus.RECEIVED.value,
                    registered_by=staff_no_of(work.session, by),
                    request_key=request_key,
                )
                work.session.add(row)
                work.session.flush()
                append_event(
                    work,
                    hall.id,
                    EventKind.COMPLAINT_REGISTERED,
                    now,
                    actor=by,
                    payload={"complaint": row.id, "channel": row.channel},
                )
                return _view(row, reveal, hall.calendar.business_day(now)), True
        except IntegrityError:
            # A concurrent submission with the same key won the race.
            if request_key is None:
                raise
            existing = self._by_key(hall, request_key, new, reveal)
            if existing is None:
                raise
            return existing, False

    def _by_key(
        self, hall: HallContext, key: str, new: NewComplaint, reveal: bool
    ) -> ComplaintView | None:
        with self.db.read() as session:
            row = session.scalar(
                select(Complaint).where(Complaint.hall_id == hall.id, Complaint.request_key == key)
            )
            if row is None:
                return None
            if not _same_request(row, new):
                raise Conflict(
                    f"Idempotency-Key {key!r} was already used for a different complaint",
                    code="idempotency_key_reused",
                )
            return _view(row, reveal, hall.calendar.business_day(self.clock.now()))

    def pass_to_window(
        self,
        hall_id: str,
        complaint_id: str,
        by: Actor,
        *,
        window: int | None = None,
        staff_no: str | None = None,
        deadline: date | None = None,
        reveal: bool = False,
    ) -> ComplaintView:
        """Passed to the responsible window with a deadline (default: 5 working days)."""
        hall = self.halls.get(hall_id)
        _check_window(hall, window)
        now = self.clock.now()
        today = hall.calendar.business_day(now)
        with self.db.write() as work:
            row = _row(work.session, hall.id, complaint_id, lock=True)
            check_step(ComplaintStatus(row.status), ComplaintStatus.WITH_WINDOW)
            if window is not None:
                row.window_no = window
            if staff_no is not None:
                check_staff_no(work.session, hall.id, staff_no)
                row.staff_no = staff_no
            if row.window_no is None:
                raise RuleViolation(
                    "name the window the complaint is passed to", code="window_required"
                )
            due = deadline or row.deadline or default_deadline(hall.calendar, today)
            if due < today:
                raise RuleViolation("the deadline has already passed", code="invalid_deadline")
            row.deadline = due
            row.passed_at = now
            row.status = ComplaintStatus.WITH_WINDOW.value
            self._event(work, hall, row, EventKind.COMPLAINT_PASSED, now, by)
            return _view(row, reveal, today)

    def answer(
        self, hall_id: str, complaint_id: str, answer: str, by: Actor, *, reveal: bool = False
    ) -> ComplaintView:
        hall = self.halls.get(hall_id)
        now = self.clock.now()
        with self.db.write() as work:
            row = _row(work.session, hall.id, complaint_id, lock=True)
            check_step(ComplaintStatus(row.status), ComplaintStatus.ANSWERED)
            row.answer, row.answered_at = answer, now
            row.status = ComplaintStatus.ANSWERED.value
            self._event(work, hall, row, EventKind.COMPLAINT_ANSWERED, now, by)
            return _view(row, reveal, hall.calendar.business_day(now))

    def close(
        self,
        hall_id: str,
        complaint_id: str,
        upheld: bool,
        note: str,
        by: Actor,
        *,
        reveal: bool = False,
    ) -> ComplaintView:
        """Supervision's decision: upheld (属实) or not. An upheld complaint counts in the
        assessment of the month it was decided in."""
        hall = self.halls.get(hall_id)
        now = self.clock.now()
        with self.db.write() as work:
            row = _row(work.session, hall.id, complaint_id, lock=True)
            check_step(ComplaintStatus(row.status), ComplaintStatus.CLOSED)
            if upheld and row.window_no is None and row.staff_no is None:
                raise RuleViolation(
                    "an upheld complaint must name the window or the clerk concerned",
                    code="subject_required",
                )
            row.upheld, row.decision_note = upheld, note
            row.closed_at, row.decided_on = now, hall.calendar.business_day(now)
            row.status = ComplaintStatus.CLOSED.value
            self._event(work, hall, row, EventKind.COMPLAINT_CLOSED, now, by)
            return _view(row, reveal, hall.calendar.business_day(now))

    def revisit(
        self, hall_id: str, complaint_id: str, note: str, by: Actor, *, reveal: bool = False
    ) -> ComplaintView:
        hall = self.halls.get(hall_id)
        now = self.clock.now()
        with self.db.write() as work:
            row = _row(work.session, hall.id, complaint_id, lock=True)
            check_step(ComplaintStatus(row.status), ComplaintStatus.REVISITED)
            row.revisit_note, row.revisited_at = note, now
            row.status = ComplaintStatus.REVISITED.value
            self._event(work, hall, row, EventKind.COMPLAINT_REVISITED, now, by)
            return _view(row, reveal, hall.calendar.business_day(now))

    @staticmethod
    def _event(
        work: Work, hall: HallContext, row: Complaint, kind: str, now: datetime, by: Actor
    ) -> None:
        # Only the complaint's id and state: the public event stream shows every payload.
        append_event(
            work,
            hall.id,
            kind,
            now,
            actor=by,
            payload={"complaint": row.id, "status": row.status},
        )


def _check_window(hall: HallContext, window: int | None) -> None:
    if window is not None and hall.config.window(window) is None:
        raise NotFound(f"unknown window {window} in hall {hall.id}")


def _row(session: Session, hall_id: str, complaint_id: str, *, lock: bool = False) -> Complaint:
    query = select(Complaint).where(Complaint.id == complaint_id, Complaint.hall_id == hall_id)
    if lock:
        query = query.with_for_update()
    row = session.scalar(query)
    if row is None:
        raise NotFound(f"no complaint {complaint_id!r} in hall {hall_id}")
    return row


def _view(row: Complaint, reveal: bool, today: date) -> ComplaintView:
    status = ComplaintStatus(row.status)
    name, phone = row.complainant_name, row.complainant_phone
    return ComplaintView(
        id=row.id,
        hall=row.hall_id,
        received_at=row.received_at,
        channel=Channel(row.channel),
        # Who may not see the complainant's identity does not read it in the text either.
        content=row.content if reveal else mask_personal_data(row.content),
        identity_visible=reveal,
        complainant_name=name if reveal or name is None else mask_name(name),
        complainant_phone=phone if reveal or phone is None else mask_phone(phone),
        complainant_address=row.complainant_address if reveal else None,
        window=row.window_no,
        staff_no=row.staff_no,
        deadline=row.deadline,
        overdue=is_overdue(status, row.deadline, today),
        status=status,
        upheld=row.upheld,
        answer=row.answer,
        decision_note=row.decision_note,
        decided_on=row.decided_on,
        revisit_note=row.revisit_note,
        registered_by=row.registered_by,
    )
