"""Tables of online appointments (docs/appointments.md): bookings, slot counters, no-show credit,
the webhook outbox."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from queue_server.domain.retention import RetentionCategory
from queue_server.storage.personal_data import PurgeRule, register_purge_rule
from queue_server.storage.tables import Base
from queue_server.storage.types import UTCDateTime

_ACTIVE = text("state IN ('booked', 'checked_in')")


class Booking(Base):
    __tablename__ = "bookings"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    hall_id: Mapped[str] = mapped_column(ForeignKey("halls.id"))
    code: Mapped[str] = mapped_column(String(12))
    service_code: Mapped[str] = mapped_column(String(32))
    business_day: Mapped[date] = mapped_column(Date)
    slot_start: Mapped[datetime] = mapped_column(UTCDateTime)
    slot_end: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(16))
    # Which of the person's bookings of the day this is (1..bookings_per_person_per_day): the
    # unique index below then caps a person's active bookings per day even under races.
    day_seat: Mapped[int] = mapped_column(Integer, default=1)
    # Personal data (cleared by the retention purge): the name and phone as given, the ID
    # number only as an HMAC-SHA256 keyed hash (for matching at check-in) and masked.
    name: Mapped[str] = mapped_column(String(64))
    phone: Mapped[str | None] = mapped_column(String(20))
    id_hash: Mapped[str | None] = mapped_column(String(64))
    id_masked: Mapped[str] = mapped_column(String(24))
    source: Mapped[str] = mapped_column(String(16))  # portal, import
    source_ref: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    arrival: Mapped[str | None] = mapped_column(String(16))  # early, on_time, late
    ticket_id: Mapped[str | None] = mapped_column(String(32))
    no_show_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    near_front_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The SMS check (`verify_by_sms`): set while the booking is held, until the visitor enters
    # the code sent to the phone; the code itself is never stored (keys.sms_code derives it).
    verify_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verify_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    __table_args__ = (
        Index("uq_bookings_code", "hall_id", "code", unique=True),
        Index(
            "uq_bookings_person_day",
            "hall_id",
            "id_hash",
            "business_day",
            "day_seat",
            unique=True,
            sqlite_where=_ACTIVE,
            postgresql_where=_ACTIVE,
        ),
        Index(
            "uq_bookings_source_ref",
            "hall_id",
            "source_ref",
            unique=True,
            sqlite_where=text("source_ref IS NOT NULL"),
            postgresql_where=text("source_ref IS NOT NULL"),
        ),
        Index("ix_bookings_state_slot", "hall_id", "state", "slot_start"),
    )


class BookingSlot(Base):
    """How many active bookings a slot of a service holds; the row capacity is checked on."""

    __tablename__ = "booking_slots"
    hall_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    service_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    slot_start: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    booked: Mapped[int] = mapped_column(Integer, default=0)


class BookingCounter(Base):
    """How many online bookings (or attempts) one address, phone or ID number made in a fixed
    window (queue_server.domain.booking_limits). The key is stored only as a keyed hash; the
    retention purge deletes the rows of windows long over."""

    __tablename__ = "booking_counters"
    hall_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class BookingNoShow(Base):
    """One row per no-show, by the person's keyed ID hash: the hall's credit rule counts them.

    Kept apart from the booking so the booking's personal data can be purged on its own
    schedule while the count still covers the credit rule's window.
    """

    __tablename__ = "booking_no_shows"
    booking_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    hall_id: Mapped[str] = mapped_column(String(32))
    id_hash: Mapped[str | None] = mapped_column(String(64))
    business_day: Mapped[date] = mapped_column(Date)
    __table_args__ = (Index("ix_booking_no_shows_person", "hall_id", "id_hash"),)


class WebhookOutbox(Base):
    """A webhook to deliver, written in the transaction of the change it reports.

    The body is composed at delivery from the booking, so no personal data sits here.
    """

    __tablename__ = "webhook_outbox"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    hall_id: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(32))
    booking_id: Mapped[str] = mapped_column(String(32))
    places: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(300))
    __table_args__ = (
        Index("ix_webhook_outbox_due", "delivered_at", "failed_at", "next_attempt_at"),
    )


# ----- personal data, for the retention purge (docs/deploy.md, "7. Personal data") --------

# The visitor's name, phone and ID number (hash and masked form); the booking's facts
# (service, slot, state, times, ticket) stay for the reports. Counted from the slot.
register_purge_rule(
    PurgeRule(
        table="bookings",
        age_column="slot_start",
        category=RetentionCategory.BOOKING,
        clear=("phone", "id_hash"),
        replace={"name": "*", "id_masked": "*"},
    )
)
# The keyed hash links a no-show to a person. Purged with the bookings, so the credit rule
# counts no-shows of at most `[retention] booking_days` back (90 by default, fewer than the
# rule's 180): a hall that wants the full window keeps bookings that long.
register_purge_rule(
    PurgeRule(
        table="booking_no_shows",
        age_column="business_day",
        category=RetentionCategory.BOOKING,
        clear=("id_hash",),
    )
)
