"""Reminders queued as webhooks: the day before the slot, and when a checked-in visitor is
close to the front of the queue (so the hall's SMS gateway can tell them)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from queue_server.domain.appointments import BookingState
from queue_server.domain.tickets import TicketState
from queue_server.services.bookings import outbox
from queue_server.services.database import Database
from queue_server.services.halls import HallContext
from queue_server.services.queries import count_ahead
from queue_server.storage.booking_tables import Booking
from queue_server.storage.tables import Ticket


def queue_day_before_reminders(db: Database, hall: HallContext, now_utc: datetime) -> int:
    """Bookings of tomorrow (the hall's calendar day after today) not yet reminded."""
    if hall.config.appointments.webhook_url is None:
        return 0
    tomorrow = hall.calendar.business_day(now_utc) + timedelta(days=1)
    with db.write() as work:
        rows = list(
            work.session.scalars(
                select(Booking)
                .where(
                    Booking.hall_id == hall.id,
                    Booking.state == BookingState.BOOKED.value,
                    Booking.business_day == tomorrow,
                    Booking.reminded_at.is_(None),
                )
                .with_for_update()
            )
        )
        for row in rows:
            row.reminded_at = now_utc
            outbox.enqueue(work.session, hall, outbox.REMINDER, row.id, now_utc)
        return len(rows)


def queue_near_front_reminders(db: Database, hall: HallContext, now_utc: datetime) -> int:
    """Checked-in visitors whose ticket has `remind_places` people or fewer ahead, once."""
    if hall.config.appointments.webhook_url is None:
        return 0
    places = hall.config.appointments.remind_places
    today = hall.calendar.business_day(now_utc)
    with db.write() as work:
        session = work.session
        pairs = list(
            session.execute(
                select(Booking, Ticket)
                .join(Ticket, Ticket.id == Booking.ticket_id)
                .where(
                    Booking.hall_id == hall.id,
                    Booking.business_day == today,
                    Booking.near_front_at.is_(None),
                    Ticket.state == TicketState.WAITING.value,
                )
                .with_for_update(of=Booking)
            ).all()
        )
        queued = 0
        for booking, ticket in pairs:
            ahead = count_ahead(session, hall, ticket, now_utc)
            if ahead <= places:
                booking.near_front_at = now_utc
                outbox.enqueue(session, hall, outbox.NEAR_FRONT, booking.id, now_utc, ahead)
                queued += 1
        return queued
