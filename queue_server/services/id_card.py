"""刷身份证取号: a resident ID card tapped at the kiosk (docs/appointments.md, ID card).

The kiosk sends the ID number it read; it is validated, turned into the keyed hash and the
age on the hall's day, and then dropped: nothing here stores, logs or returns it. A booking
of today is checked in; otherwise the visitor chooses a service, with the green channel by
age, and the ticket is linked to the keyed hash so the hall's daily limit holds.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from sqlalchemy import delete, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from queue_server.domain.appointments import BookingState, validate_id_number
from queue_server.domain.clock import Clock
from queue_server.domain.id_card import IdCardRules, age_on, birth_date, card_priority
from queue_server.domain.tickets import Priority
from queue_server.services.bookings import BookingService, CheckInRequest
from queue_server.services.bookings.keys import id_hash
from queue_server.services.bookings.views import CheckInResult
from queue_server.services.database import Database
from queue_server.services.errors import Conflict, NotFound
from queue_server.services.event_log import SYSTEM, Actor
from queue_server.services.halls import HallContext, HallRegistry
from queue_server.services.issuing import IssueRequest
from queue_server.services.tickets import QueueService
from queue_server.services.views import TicketView
from queue_server.storage.booking_tables import Booking
from queue_server.storage.id_card_tables import IdCardTicket

# A seat held this long without its ticket belongs to a request that died half-way (the
# kiosk retries with the same key within seconds): it no longer counts toward the limit.
STALE_SEAT = timedelta(minutes=2)
SEAT_ATTEMPTS = 5


@dataclass(frozen=True)
class CardOffer:
    service: str
    priority: Priority


@dataclass(frozen=True)
class CardPresented:
    """check_in: today's booking, checked in (`check_in`); choose: the services to offer,
    each with the priority the card holder gets; taken: the daily limit is reached and
    `tickets` are the numbers already taken today, the latest first."""

    outcome: Literal["check_in", "choose", "taken"]
    check_in: CheckInResult | None = None
    offers: tuple[CardOffer, ...] = ()
    tickets: tuple[TicketView, ...] = ()
    green_by_age: bool = False


@dataclass(frozen=True)
class CardIssued:
    """issued: `ticket` is new (or the same one again for a retried request: `replayed`);
    taken: the limit was reached meanwhile, `tickets` as in CardPresented."""

    outcome: Literal["issued", "taken"]
    ticket: TicketView | None
    replayed: bool = False
    tickets: tuple[TicketView, ...] = ()


@dataclass(frozen=True)
class _Card:
    hashed: str
    age: int


class IdCardService:
    def __init__(
        self,
        db: Database,
        halls: HallRegistry,
        clock: Clock,
        queue: QueueService,
        bookings: BookingService,
        id_key: bytes,
    ) -> None:
        self.db = db
        self.halls = halls
        self.clock = clock
        self.queue = queue
        self.bookings = bookings
        self._id_key = id_key

    @staticmethod
    def rules(hall: HallContext) -> IdCardRules:
        return hall.config.id_card.rules()

    def _card(self, hall: HallContext, id_number: str) -> _Card:
        number = validate_id_number(id_number)
        today = hall.calendar.business_day(self.clock.now())
        return _Card(id_hash(self._id_key, number), age_on(birth_date(number), today))

    def present(self, hall_id: str, id_number: str, actor: Actor = SYSTEM) -> CardPresented:
        hall = self.halls.get(hall_id)
        card = self._card(hall, id_number)
        today = hall.calendar.business_day(self.clock.now())
        with self.db.read() as session:
            booked = self._has_booking(session, hall, card.hashed, today)
        if booked:
            result = self.bookings.check_in(hall.id, CheckInRequest(id_number=id_number), actor)
            return CardPresented("check_in", check_in=result)
        rules = self.rules(hall)
        taken = self._taken(hall, card.hashed, today)
        if len(taken) >= rules.tickets_per_person_per_day:
            return CardPresented("taken", tickets=taken)
        offers = tuple(
            CardOffer(s.code, card_priority(rules, card.age, s.green_channel))
            for s in hall.config.services
        )
        green = any(o.priority is Priority.GREEN for o in offers)
        return CardPresented("choose", offers=offers, tickets=taken, green_by_age=green)

    @staticmethod
    def _has_booking(session: Session, hall: HallContext, hashed: str, today: date) -> bool:
        """A booking of today still to check in, or one that already has its ticket (a
        second tap then shows that ticket, as a code entered again does)."""
        found = session.scalars(
            select(Booking.id).where(
                Booking.hall_id == hall.id,
                Booking.id_hash == hashed,
                Booking.business_day == today,
                or_(
                    Booking.state.in_((BookingState.BOOKED.value, BookingState.CHECKED_IN.value)),
                    Booking.ticket_id.is_not(None),
                ),
            )
        ).first()
        return found is not None

    def _taken(self, hall: HallContext, hashed: str, today: date) -> tuple[TicketView, ...]:
        with self.db.read() as session:
            ids = list(
                session.scalars(
                    select(IdCardTicket.ticket_id)
                    .where(
                        IdCardTicket.hall_id == hall.id,
                        IdCardTicket.id_hash == hashed,
                        IdCardTicket.business_day == today,
                        IdCardTicket.ticket_id.is_not(None),
                    )
                    .order_by(IdCardTicket.seat.desc())
                )
            )
        return tuple(self.queue.get_ticket(i) for i in ids if i is not None)

    def issue(
        self,
        hall_id: str,
        id_number: str,
        service: str,
        request_key: str,
        actor: Actor = SYSTEM,
    ) -> CardIssued:
        hall = self.halls.get(hall_id)
        config = hall.config.service(service)
        if config is None:
            known = ", ".join(s.code for s in hall.config.services)
            raise NotFound(f"unknown service {service!r} (this hall has: {known})")
        card = self._card(hall, id_number)
        rules = self.rules(hall)
        priority = card_priority(rules, card.age, config.green_channel)
        today = hall.calendar.business_day(self.clock.now())
        seat = self._hold_seat(hall, card.hashed, today, service, request_key, rules)
        if seat is None:
            return CardIssued("taken", None, tickets=self._taken(hall, card.hashed, today))
        try:
            issued = self.queue.issue(
                hall.id,
                IssueRequest(service, priority, idempotency_key=f"card:{request_key}"),
                actor,
            )
        except Exception:
            # Refused (hall closed, cap reached...): the seat goes back, nothing was issued.
            with self.db.write() as work:
                work.session.execute(
                    delete(IdCardTicket).where(
                        IdCardTicket.id == seat, IdCardTicket.ticket_id.is_(None)
                    )
                )
            raise
        with self.db.write() as work:
            row = work.session.get(IdCardTicket, seat)
            if row is not None and row.ticket_id is None:
                row.ticket_id = issued.ticket.id
        return CardIssued("issued", issued.ticket, replayed=issued.replayed)

    def _hold_seat(
        self,
        hall: HallContext,
        hashed: str,
        today: date,
        service: str,
        request_key: str,
        rules: IdCardRules,
    ) -> str | None:
        """The seat (row id) this request issues into, or None when the limit is reached."""
        for _ in range(SEAT_ATTEMPTS):
            now = self.clock.now()
            try:
                with self.db.write() as work:
                    session = work.session
                    mine = session.scalars(
                        select(IdCardTicket).where(
                            IdCardTicket.hall_id == hall.id,
                            IdCardTicket.request_key == request_key,
                        )
                    ).one_or_none()
                    if mine is not None:
                        if mine.id_hash != hashed or mine.service_code != service:
                            raise Conflict(
                                "this Idempotency-Key was already used for a different request",
                                code="idempotency_key_reused",
                            )
                        return mine.id
                    session.execute(
                        delete(IdCardTicket).where(
                            IdCardTicket.hall_id == hall.id,
                            IdCardTicket.id_hash == hashed,
                            IdCardTicket.business_day == today,
                            IdCardTicket.ticket_id.is_(None),
                            IdCardTicket.created_at < now - STALE_SEAT,
                        )
                    )
                    seats = set(
                        session.scalars(
                            select(IdCardTicket.seat).where(
                                IdCardTicket.hall_id == hall.id,
                                IdCardTicket.id_hash == hashed,
                                IdCardTicket.business_day == today,
                            )
                        )
                    )
                    free = [
                        s for s in range(1, rules.tickets_per_person_per_day + 1) if s not in seats
                    ]
                    if not free:
                        return None
                    row = IdCardTicket(
                        id=uuid.uuid4().hex,
                        hall_id=hall.id,
                        id_hash=hashed,
                        business_day=today,
                        seat=free[0],
                        request_key=request_key,
                        service_code=service,
                        ticket_id=None,
                        created_at=now,
                    )
                    session.add(row)
                    session.flush()
                    return row.id
            except IntegrityError:
                continue  # another kiosk took that seat (or this key) at the same moment
        raise Conflict(
            "the ID card was used at several kiosks at once; please try again",
            code="id_card_busy",
        )
