"""Booking, looking up, cancelling and checking in appointments (docs/appointments.md).

Personal data never leaves this module in full: answers carry `BookingView` (masked), event
payloads carry the booking id, service and slot only, and nothing here logs a name, phone or
ID number.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from queue_server.config.models import ServiceConfig
from queue_server.domain.appointments import (
    ACTIVE_STATES,
    AppointmentRules,
    Arrival,
    BookingRefused,
    BookingState,
    Slot,
    arrival_window,
    banned_until,
    bookable_slots,
    check_bookable,
    check_cancellable,
    new_booking_code,
    no_show_cutoff,
    normalize_code,
    validate_id_number,
    validate_name,
    validate_phone,
)
from queue_server.domain.booking_limits import (
    WHO,
    BookingLimits,
    LimitKind,
    retry_after,
    window_start,
)
from queue_server.domain.clock import Clock
from queue_server.domain.errors import RuleViolation
from queue_server.domain.events import EventKind
from queue_server.domain.masking import mask_id_number
from queue_server.domain.tickets import Priority
from queue_server.services.bookings import outbox
from queue_server.services.bookings.counters import count_one
from queue_server.services.bookings.importing import ImportRow, import_rows
from queue_server.services.bookings.keys import id_hash, sms_code
from queue_server.services.bookings.places import booked_counts, release_place, take_place
from queue_server.services.bookings.views import BookingView, CheckInResult, SlotView
from queue_server.services.database import Database, Work
from queue_server.services.errors import Conflict, NotFound, Throttled
from queue_server.services.event_log import SYSTEM, Actor, append_event
from queue_server.services.halls import HallContext, HallRegistry
from queue_server.services.issuing import IssueRequest
from queue_server.services.tickets import QueueService
from queue_server.storage.booking_tables import Booking, BookingNoShow

CODE_ATTEMPTS = 5


@dataclass(frozen=True)
class BookingRequest:
    service: str
    slot_start: datetime
    name: str
    phone: str
    id_number: str
    source: str = "portal"
    source_ref: str | None = None
    # The client's address (the real one: docs/deploy.md, forwarded_allow_ips), for the
    # per-address limit of online bookings; None for the hall's own staff and imports.
    address: str | None = None


@dataclass(frozen=True)
class CheckInRequest:
    """By booking code, by phone plus code, or by ID number."""

    code: str | None = None
    phone: str | None = None
    id_number: str | None = None
    normal_if_early: bool = False


@dataclass(frozen=True)
class Person:
    """What a visitor gave, checked: the name and phone as given, the ID number hashed."""

    name: str
    phone: str
    id_hash: str
    id_masked: str


def bookable_service(hall: HallContext, code: str) -> ServiceConfig:
    service = hall.config.service(code)
    if service is None:
        raise NotFound(f"unknown service {code!r}")
    if service.slot_capacity is None:
        raise BookingRefused(
            f"service {code} cannot be booked online in this hall; take a number at the kiosk",
            code="not_bookable",
        )
    return service


def event_payload(row: Booking) -> dict[str, str]:
    """Events name the booking, the service and the slot: no personal data (hash-chained)."""
    return {
        "booking": row.id,
        "service": row.service_code,
        "slot": row.slot_start.isoformat(),
    }


class BookingService:
    def __init__(
        self, db: Database, halls: HallRegistry, clock: Clock, queue: QueueService, id_key: bytes
    ) -> None:
        self.db = db
        self.halls = halls
        self.clock = clock
        self.queue = queue
        self._id_key = id_key
        # Background pace (seconds): the no-show/reminder sweep and the webhook delivery.
        self.sweep_every = 30.0
        self.deliver_every = 2.0
        self.limits = BookingLimits()

    # ----- people ------------------------------------------------------------------------

    def person(self, name: str, phone: str, id_number: str) -> Person:
        number = validate_id_number(id_number)
        return Person(
            name=validate_name(name),
            phone=validate_phone(phone),
            id_hash=id_hash(self._id_key, number),
            id_masked=mask_id_number(number),
        )

    def hash_id(self, id_number: str) -> str:
        return id_hash(self._id_key, validate_id_number(id_number))

    @staticmethod
    def rules(hall: HallContext) -> AppointmentRules:
        return hall.config.appointments.rules()

    # ----- slots -------------------------------------------------------------------------

    def free_slots(self, hall_id: str, service: str | None = None) -> list[SlotView]:
        hall = self.halls.get(hall_id)
        if service is not None:
            wanted = [bookable_service(hall, service)]
        else:
            wanted = [s for s in hall.config.services if s.slot_capacity is not None]
        slots = bookable_slots(hall.calendar, self.rules(hall), self.clock.now())
        if not slots or not wanted:
            return []
        with self.db.read() as session:
            counts = booked_counts(session, hall.id, slots[0].start, slots[-1].start)
        result = []
        for config in wanted:
            capacity = config.slot_capacity or 0
            for slot in slots:
                booked = counts.get((config.code, slot.start), 0)
                result.append(
                    SlotView(config.code, slot.start, slot.end, capacity, max(capacity - booked, 0))
                )
        return result

    # ----- booking -----------------------------------------------------------------------

    def book(self, hall_id: str, request: BookingRequest, actor: Actor = SYSTEM) -> BookingView:
        hall = self.halls.get(hall_id)
        config = bookable_service(hall, request.service)
        person = self.person(request.name, request.phone, request.id_number)
        now = self.clock.now()
        slot = check_bookable(hall.calendar, self.rules(hall), now, request.slot_start)
        portal = request.source == "portal"
        if portal and request.address is not None:
            self._count_address(hall, request.address, now)
        for _ in range(CODE_ATTEMPTS):
            try:
                with self.db.write() as work:
                    if portal:
                        self._count_person(work.session, hall, person, now)
                    row = self.create_in(
                        work,
                        hall,
                        config,
                        slot,
                        person,
                        now,
                        source=request.source,
                        source_ref=request.source_ref,
                        actor=actor,
                    )
                    return BookingView.of(row, hall.calendar.zone)
            except IntegrityError:
                # Either another booking of this person that day won the race for the same
                # day seat, or (rarely) the random code was taken: only the second is retried.
                with self.db.read() as session:
                    if self._active_that_day(session, hall, person.id_hash, slot.start) >= (
                        self.rules(hall).bookings_per_person_per_day
                    ):
                        raise self._already_booked(hall) from None
        raise Conflict("could not find a free booking code; please try again")

    def create_in(
        self,
        work: Work,
        hall: HallContext,
        config: ServiceConfig,
        slot: Slot,
        person: Person,
        now: datetime,
        *,
        source: str,
        source_ref: str | None,
        actor: Actor,
    ) -> Booking:
        """A booking inside the caller's transaction (the portal, an import, the demo)."""
        session = work.session
        rules = self.rules(hall)
        start, end = slot.start, slot.end
        day = hall.calendar.business_day(start)
        self._check_credit(session, hall, person.id_hash, now)
        seats = self._seats_taken(session, hall, person.id_hash, day)
        free_seats = [n for n in range(1, rules.bookings_per_person_per_day + 1) if n not in seats]
        if not free_seats:
            raise self._already_booked(hall)
        assert config.slot_capacity is not None
        if not take_place(session, hall.id, config.code, start, config.slot_capacity):
            raise Conflict(
                f"the slot at {hall.calendar.local(start):%Y-%m-%d %H:%M} for {config.code} "
                "is fully booked; choose another slot",
                code="slot_full",
            )
        row = Booking(
            id=uuid.uuid4().hex,
            hall_id=hall.id,
            code=new_booking_code(),
            service_code=config.code,
            business_day=day,
            slot_start=start,
            slot_end=end,
            state=BookingState.BOOKED.value,
            day_seat=free_seats[0],
            name=person.name,
            phone=person.phone,
            id_hash=person.id_hash,
            id_masked=person.id_masked,
            source=source,
            source_ref=source_ref,
            created_at=now,
        )
        held = rules.verify_by_sms and source == "portal"
        if held:
            row.verify_until = now + timedelta(minutes=rules.verify_minutes)
            row.verify_attempts = 0
        session.add(row)
        session.flush()
        if held:
            outbox.enqueue(session, hall, outbox.VERIFY, row.id, now)
        elif source != "import":  # the booking system that sent an import told its visitor
            outbox.enqueue(session, hall, outbox.BOOKED, row.id, now)
        append_event(
            work, hall.id, EventKind.BOOKING_CREATED, now, actor=actor, payload=event_payload(row)
        )
        return row

    def _key_hash(self, kind: LimitKind, value: str) -> str:
        """The counters' keys are keyed hashes: the table holds no address or phone."""
        message = f"{kind.value}:{value}".encode()
        return hmac.new(self._id_key, message, hashlib.sha256).hexdigest()

    def _throttled(self, kind: LimitKind, now: datetime) -> Throttled:
        _, window = self.limits.of(kind)
        wait = retry_after(now, window)
        return Throttled(
            f"too many online bookings from {WHO[kind]}; try again in {wait} seconds, or take "
            "a number at the kiosk",
            wait,
            code="too_many_bookings",
        )

    def _count(
        self, session: Session, hall: HallContext, kind: LimitKind, key_hash: str, now: datetime
    ) -> None:
        limit, window = self.limits.of(kind)
        if not count_one(session, hall.id, kind, key_hash, window_start(now, window), limit):
            raise self._throttled(kind, now)

    def _count_address(self, hall: HallContext, address: str, now: datetime) -> None:
        """An address counts every attempt that got past the form's checks, in a transaction
        of its own: a refused or failed booking still counts (that is what a flood is made
        of)."""
        with self.db.write() as work:
            key = self._key_hash(LimitKind.ADDRESS, address)
            self._count(work.session, hall, LimitKind.ADDRESS, key, now)

    def _count_person(
        self, session: Session, hall: HallContext, person: Person, now: datetime
    ) -> None:
        """A phone and an ID number count the bookings made: in the booking's transaction, so
        a booking refused later (slot full, already booked) leaves their counts alone."""
        phone = self._key_hash(LimitKind.PHONE, person.phone)
        self._count(session, hall, LimitKind.PHONE, phone, now)
        self._count(session, hall, LimitKind.ID_NUMBER, person.id_hash, now)

    def _check_credit(
        self, session: Session, hall: HallContext, hashed: str, now: datetime
    ) -> None:
        rules = self.rules(hall)
        today = hall.calendar.business_day(now)
        days = session.scalars(
            select(BookingNoShow.business_day).where(
                BookingNoShow.hall_id == hall.id, BookingNoShow.id_hash == hashed
            )
        )
        until = banned_until(rules, list(days), today)
        if until is not None:
            raise BookingRefused(
                f"{rules.no_show_limit} missed appointments within {rules.no_show_window_days} "
                f"days: online booking is possible again from {until:%Y-%m-%d}; "
                "you can still take a number at the kiosk",
                code="booking_suspended",
            )

    @staticmethod
    def _seats_taken(session: Session, hall: HallContext, hashed: str, day: date) -> set[int]:
        return set(
            session.scalars(
                select(Booking.day_seat).where(
                    Booking.hall_id == hall.id,
                    Booking.id_hash == hashed,
                    Booking.business_day == day,
                    Booking.state.in_(ACTIVE_STATES),
                )
            )
        )

    def _active_that_day(
        self, session: Session, hall: HallContext, hashed: str, start: datetime
    ) -> int:
        day = hall.calendar.business_day(start)
        return len(self._seats_taken(session, hall, hashed, day))

    def _already_booked(self, hall: HallContext) -> Conflict:
        limit = self.rules(hall).bookings_per_person_per_day
        what = "one booking" if limit == 1 else f"{limit} bookings"
        return Conflict(
            f"this ID number already has {what} on that day (at most {what} per person per day)",
            code="already_booked_that_day",
        )

    # ----- looking up and cancelling -----------------------------------------------------

    def _by_code(self, session: Session, hall_id: str, code: str, *, lock: bool = False) -> Booking:
        query = select(Booking).where(
            Booking.hall_id == hall_id, Booking.code == normalize_code(code)
        )
        if lock:
            query = query.with_for_update()
        row = session.scalars(query).one_or_none()
        if row is None:
            raise NotFound("no booking with this code in this hall", code="booking_not_found")
        return row

    def _by_code_and_phone(
        self, session: Session, hall_id: str, code: str, phone: str, *, lock: bool = False
    ) -> Booking:
        number = validate_phone(phone)
        try:
            row = self._by_code(session, hall_id, code, lock=lock)
        except NotFound:
            row = None
        if row is None or row.phone != number:
            # One answer for a wrong code and a wrong phone: nothing to learn by guessing.
            raise NotFound(
                "no booking with this code and phone number in this hall", code="booking_not_found"
            )
        return row

    def lookup(self, hall_id: str, code: str, phone: str) -> BookingView:
        hall = self.halls.get(hall_id)
        with self.db.read() as session:
            row = self._by_code_and_phone(session, hall_id, code, phone)
            return BookingView.of(row, hall.calendar.zone)

    def cancel(self, hall_id: str, code: str, phone: str, actor: Actor = SYSTEM) -> BookingView:
        hall = self.halls.get(hall_id)
        now = self.clock.now()
        with self.db.write() as work:
            row = self._by_code_and_phone(work.session, hall.id, code, phone, lock=True)
            if row.state != BookingState.BOOKED.value:
                raise Conflict(
                    f"this booking is {row.state.replace('_', ' ')} and cannot be cancelled",
                    code="not_cancellable",
                )
            check_cancellable(hall.calendar, self.rules(hall), now, row.slot_start)
            row.state = BookingState.CANCELLED.value
            row.cancelled_at = now
            release_place(work.session, hall.id, row.service_code, row.slot_start)
            outbox.enqueue(work.session, hall, outbox.CANCELLED, row.id, now)
            append_event(
                work,
                hall.id,
                EventKind.BOOKING_CANCELLED,
                now,
                actor=actor,
                payload=event_payload(row),
            )
            return BookingView.of(row, hall.calendar.zone)

    # ----- the SMS check ------------------------------------------------------------------

    @property
    def id_key(self) -> bytes:
        return self._id_key

    def sms_code_of(self, booking_id: str) -> str:
        return sms_code(self._id_key, booking_id)

    def confirm(
        self, hall_id: str, code: str, phone: str, sms: str, actor: Actor = SYSTEM
    ) -> BookingView:
        """The visitor's code from the SMS: right, the booking is confirmed (and the usual
        'booked' webhook goes out); wrong, one attempt less; too late or too many wrong, the
        hold ends and its place is free again. Refusals are raised after the transaction, so
        the counted attempt and the freed place are kept."""
        hall = self.halls.get(hall_id)
        rules = self.rules(hall)
        now = self.clock.now()
        refusal: RuleViolation | None = None
        with self.db.write() as work:
            row = self._by_code_and_phone(work.session, hall.id, code, phone, lock=True)
            view = BookingView.of(row, hall.calendar.zone)
            if row.state == BookingState.EXPIRED.value:
                raise Conflict(
                    "this booking was not confirmed in time and has lapsed; book again",
                    code="confirmation_expired",
                )
            if row.verify_until is None:
                return view  # confirmed already (a retry), or never needed a code
            if now >= row.verify_until:
                self._expire(work, hall, row, now)
                refusal = Conflict(
                    "the code was not entered in time; the place is free again, book again",
                    code="confirmation_expired",
                )
            elif hmac.compare_digest(sms.strip(), self.sms_code_of(row.id)):
                row.verify_until = None
                outbox.enqueue(work.session, hall, outbox.BOOKED, row.id, now)
                append_event(
                    work, hall.id, EventKind.BOOKING_CONFIRMED, now, actor=actor,
                    payload=event_payload(row),
                )  # fmt: skip
                return BookingView.of(row, hall.calendar.zone)
            else:
                row.verify_attempts = (row.verify_attempts or 0) + 1
                left = rules.verify_attempts - row.verify_attempts
                if left <= 0:
                    self._expire(work, hall, row, now)
                    refusal = Conflict(
                        "too many wrong codes; the place is free again, book again",
                        code="confirmation_attempts_used",
                    )
                else:
                    refusal = RuleViolation(
                        f"the code is not the one sent to this phone; {left} attempts left",
                        code="confirmation_code_wrong",
                        field="sms_code",
                        reason="wrong",
                    )
        raise refusal

    def _expire(self, work: Work, hall: HallContext, row: Booking, now: datetime) -> None:
        row.state = BookingState.EXPIRED.value
        row.verify_until = None
        row.cancelled_at = now
        release_place(work.session, hall.id, row.service_code, row.slot_start)
        append_event(work, hall.id, EventKind.BOOKING_EXPIRED, now, payload=event_payload(row))

    def expire_holds(self, hall_id: str) -> int:
        """Every hold whose code was not entered in time lapses and frees its place."""
        hall = self.halls.get(hall_id)
        now = self.clock.now()
        with self.db.write() as work:
            rows = list(
                work.session.scalars(
                    select(Booking)
                    .where(
                        Booking.hall_id == hall.id,
                        Booking.state == BookingState.BOOKED.value,
                        Booking.verify_until.is_not(None),
                        Booking.verify_until <= now,
                    )
                    .order_by(Booking.id)
                    .with_for_update()
                )
            )
            for row in rows:
                self._expire(work, hall, row, now)
            return len(rows)

    # ----- check-in at the kiosk ---------------------------------------------------------

    def _find_for_check_in(
        self, session: Session, hall: HallContext, request: CheckInRequest, today: date
    ) -> Booking:
        if request.id_number:
            hashed = self.hash_id(request.id_number)
            rows = list(
                session.scalars(
                    select(Booking)
                    .where(
                        Booking.hall_id == hall.id,
                        Booking.id_hash == hashed,
                        Booking.business_day == today,
                        Booking.state != BookingState.CANCELLED.value,
                    )
                    .order_by(Booking.slot_start)
                )
            )
            if not rows:
                raise NotFound("no booking for today with this ID number", code="booking_not_found")
            # The first booking still to check in; else one already checked in (a retry).
            return next((r for r in rows if r.ticket_id is None), rows[0])
        if not request.code:
            raise RuleViolation(
                "give the booking code (with or without the phone number) or the ID number",
                code="check_in_needs_code_or_id",
            )
        if request.phone:
            return self._by_code_and_phone(session, hall.id, request.code, request.phone)
        return self._by_code(session, hall.id, request.code)

    def check_in(
        self, hall_id: str, request: CheckInRequest, actor: Actor = SYSTEM
    ) -> CheckInResult:
        hall = self.halls.get(hall_id)
        rules = self.rules(hall)
        now = self.clock.now()
        today = hall.calendar.business_day(now)
        with self.db.read() as session:
            row = self._find_for_check_in(session, hall, request, today)
            booking = BookingView.of(row, hall.calendar.zone)
        window = arrival_window(rules, booking.slot_start)
        if booking.ticket_id is not None:
            return CheckInResult(
                outcome=_outcome_of(booking.arrival),
                booking=booking,
                ticket=self.queue.get_ticket(booking.ticket_id),
                window_opens=window.opens,
                window_closes=window.closes,
                replayed=True,
            )
        if booking.state == BookingState.CANCELLED.value:
            raise Conflict("this booking was cancelled", code="booking_cancelled")
        if booking.awaiting_sms_code:
            raise Conflict(
                "this booking was never confirmed with the code sent to its phone",
                code="booking_not_confirmed",
            )
        if booking.day != today:
            raise Conflict(
                f"this booking is for {booking.day:%Y-%m-%d}, not today; please come back then",
                code="booking_not_today",
            )
        arrival = window.classify(now)
        if arrival is Arrival.EARLY and not request.normal_if_early:
            return CheckInResult(
                outcome="too_early",
                booking=booking,
                ticket=None,
                window_opens=window.opens,
                window_closes=window.closes,
                come_back_at=self._come_back_at(hall, window.opens),
            )
        if arrival is Arrival.ON_TIME and booking.state == BookingState.BOOKED.value:
            issue = IssueRequest(
                booking.service,
                Priority.APPOINTMENT,
                idempotency_key=f"booking:{booking.id}",
                order_at=booking.slot_start,
            )
        else:
            # Late (or already marked no-show), or early and the visitor wants a number now.
            issue = IssueRequest(
                booking.service, Priority.NORMAL, idempotency_key=f"booking:{booking.id}"
            )
            if arrival is Arrival.ON_TIME:
                arrival = Arrival.LATE  # a no-show already recorded stays one
        # The ticket first (its own transaction, keyed by the booking so a retry or a second
        # kiosk gets the same ticket), then the booking is marked with it.
        issued = self.queue.issue(hall.id, issue, actor)
        with self.db.write() as work:
            locked = work.session.scalars(
                select(Booking).where(Booking.id == booking.id).with_for_update()
            ).one()
            if locked.ticket_id is None:
                locked.ticket_id = issued.ticket.id
                locked.checked_in_at = now
                locked.arrival = arrival.value
                if arrival is Arrival.LATE:
                    if locked.state == BookingState.BOOKED.value:
                        self._mark_no_show(work, hall, locked, now)
                else:
                    locked.state = BookingState.CHECKED_IN.value
                    payload = {**event_payload(locked), "arrival": arrival.value}
                    append_event(
                        work,
                        hall.id,
                        EventKind.BOOKING_CHECKED_IN,
                        now,
                        actor=actor,
                        ticket_id=issued.ticket.id,
                        payload=payload,
                    )
            booking = BookingView.of(locked, hall.calendar.zone)
        return CheckInResult(
            outcome=_outcome_of(booking.arrival),
            booking=booking,
            ticket=issued.ticket,
            window_opens=window.opens,
            window_closes=window.closes,
            replayed=issued.replayed,
        )

    @staticmethod
    def _come_back_at(hall: HallContext, opens: datetime) -> datetime:
        """When the arrival window opens, or the hall's next opening if it is closed then
        (the window of the first slot after lunch opens during the break)."""
        status = hall.calendar.status(opens)
        if status.can_issue or status.next_opening is None:
            return opens
        return max(opens, status.next_opening)

    # ----- no-shows ----------------------------------------------------------------------

    def _mark_no_show(self, work: Work, hall: HallContext, row: Booking, now: datetime) -> None:
        row.state = BookingState.NO_SHOW.value
        row.no_show_at = now
        work.session.add(
            BookingNoShow(
                booking_id=row.id,
                hall_id=hall.id,
                id_hash=row.id_hash,
                business_day=row.business_day,
            )
        )
        append_event(work, hall.id, EventKind.BOOKING_NO_SHOW, now, payload=event_payload(row))

    def mark_no_shows(self, hall_id: str) -> int:
        """Every booking whose arrival window has closed without a check-in is a no-show."""
        hall = self.halls.get(hall_id)
        now = self.clock.now()
        closed_before = no_show_cutoff(self.rules(hall), now)
        with self.db.write() as work:
            rows = list(
                work.session.scalars(
                    select(Booking)
                    .where(
                        Booking.hall_id == hall.id,
                        Booking.state == BookingState.BOOKED.value,
                        Booking.slot_start <= closed_before,
                    )
                    .order_by(Booking.slot_start, Booking.id)
                    .with_for_update()
                )
            )
            for row in rows:
                self._mark_no_show(work, hall, row, now)
            return len(rows)

    def import_rows(
        self, hall_id: str, rows: list[ImportRow], actor: Actor = SYSTEM
    ) -> tuple[int, int]:
        return import_rows(self, hall_id, rows, actor)

    def no_show_count(self, hall_id: str, id_number: str) -> int:
        hashed = self.hash_id(id_number)
        with self.db.read() as session:
            return int(
                session.scalar(
                    select(func.count()).where(
                        BookingNoShow.hall_id == hall_id, BookingNoShow.id_hash == hashed
                    )
                )
                or 0
            )


def _outcome_of(arrival: str | None) -> str:
    return {"on_time": "on_time", "late": "late", "early": "early_normal"}.get(
        arrival or "", "on_time"
    )
