"""SQLAlchemy tables. Every row carries its hall so one PostgreSQL can serve a whole city."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from queue_server.domain.tickets import AT_WINDOW_STATES
from queue_server.storage.types import UTCDateTime

# A ticket at a window now: its states, and as SQL text the predicate of PostgreSQL's
# `ix_tickets_at_window`, which its readers repeat with the same literals
# (`services.queries.at_a_window`).
AT_WINDOW_VALUES = tuple(sorted(s.value for s in AT_WINDOW_STATES))
AT_A_WINDOW = "state IN ({})".format(", ".join(f"'{value}'" for value in AT_WINDOW_VALUES))

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Hall(Base):
    __tablename__ = "halls"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64))
    # Head of the event chain; the row is locked while an event is appended.
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    last_hash: Mapped[str] = mapped_column(String(64))
    # From this event on the chain is keyed (HMAC, key outside the database); the seal binds
    # that number to the key. Empty until a keyed server first writes (event_log.py).
    chain_keyed_from: Mapped[int | None] = mapped_column(BigInteger)
    chain_epoch_seal: Mapped[str | None] = mapped_column(String(64))


class HallBaseline(Base):
    """The hall file applied last: the floor every business day starts from.

    `arrangement` is domain.hall_baseline.Arrangement as JSON, `digest` its SHA-256.
    """

    __tablename__ = "hall_baselines"
    hall_id: Mapped[str] = mapped_column(ForeignKey("halls.id"), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64))
    arrangement: Mapped[dict[str, Any]] = mapped_column(JSON)
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Service(Base):
    __tablename__ = "services"
    hall_id: Mapped[str] = mapped_column(ForeignKey("halls.id"), primary_key=True)
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    prefix: Mapped[str] = mapped_column(String(2))
    issuing_stopped: Mapped[bool] = mapped_column(Boolean, default=False)
    # The business day the duty lead stopped or resumed issuing; any other day: the baseline.
    issuing_decided_on: Mapped[date | None] = mapped_column(Date)


class Window(Base):
    __tablename__ = "windows"
    hall_id: Mapped[str] = mapped_column(ForeignKey("halls.id"), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    is_open: Mapped[bool] = mapped_column(Boolean, default=True)
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    pause_reason: Mapped[str | None] = mapped_column(String(32))
    pause_note: Mapped[str | None] = mapped_column(String(500))
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The business day the duty lead set the window's services / opened or closed it; on any
    # other day the window follows the baseline (services/floor_day.py).
    services_decided_on: Mapped[date | None] = mapped_column(Date)
    open_decided_on: Mapped[date | None] = mapped_column(Date)


class WindowService(Base):
    __tablename__ = "window_services"
    hall_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    window_no: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    weight: Mapped[int] = mapped_column(Integer, default=1)
    __table_args__ = (
        ForeignKeyConstraint(["hall_id", "window_no"], ["windows.hall_id", "windows.number"]),
        ForeignKeyConstraint(["hall_id", "service_code"], ["services.hall_id", "services.code"]),
    )


class Ticket(Base):
    __tablename__ = "tickets"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    hall_id: Mapped[str] = mapped_column(ForeignKey("halls.id"))
    service_code: Mapped[str] = mapped_column(String(32))
    business_day: Mapped[date] = mapped_column(Date)
    prefix: Mapped[str] = mapped_column(String(2))
    seq_no: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(16))
    priority: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16))
    recall_count: Mapped[int] = mapped_column(Integer, default=0)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The time that places the ticket in the queue: issue time, the original issue time
    # after a transfer, or the booked time for an appointment.
    order_at: Mapped[datetime] = mapped_column(UTCDateTime)
    called_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    held_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    window_no: Mapped[int | None] = mapped_column(Integer)
    target_window: Mapped[int | None] = mapped_column(Integer)
    case_type: Mapped[str | None] = mapped_column(String(16))
    deadline: Mapped[date | None] = mapped_column(Date)
    transferred_from: Mapped[str | None] = mapped_column(String(32))
    transferred_to: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(String(500))
    __table_args__ = (
        # A number is issued once per hall, day and prefix; transfer legs reuse it.
        Index(
            "uq_tickets_number_per_day",
            "hall_id",
            "business_day",
            "prefix",
            "seq_no",
            unique=True,
            sqlite_where=text("transferred_from IS NULL"),
            postgresql_where=text("transferred_from IS NULL"),
        ),
        # The queue in call order; it carries every column the count of people ahead tests,
        # so that count (one per ticket issued) reads the index alone, not each ticket's row.
        Index(
            "ix_tickets_queue",
            "hall_id",
            "state",
            "service_code",
            "order_at",
            "priority",
            "number",
            "target_window",
            "id",
        ),
        # A call reads the head of each (service, priority class) queue: a seek, not a scan.
        Index(
            "ix_tickets_heads",
            "hall_id",
            "state",
            "service_code",
            "priority",
            "order_at",
            "number",
        ),
        # The four indexes below hold only the tickets their readers look for (each reader's
        # WHERE implies the index's), so issuing a ticket writes none of them: most tickets
        # are sent to no window by name, and none is at a window or finished when issued.
        Index(
            "ix_tickets_pinned",
            "hall_id",
            "target_window",
            "state",
            sqlite_where=text("target_window IS NOT NULL"),
            postgresql_where=text("target_window IS NOT NULL"),
        ),
        # The tickets at a window now: a few rows whatever the hall's history. With only
        # `ix_tickets_window`, PostgreSQL priced it like `ix_tickets_window_called` and walked
        # every ticket the window had ever called, on every call (issue 22). Its readers name
        # the states as this text (`AT_A_WINDOW`): a generic plan cannot prove a partial
        # index serves a bound value. SQLite seeks `ix_tickets_window` by the state instead,
        # so there the index would only be written.
        Index(
            "ix_tickets_at_window",
            "hall_id",
            "window_no",
            postgresql_where=text(AT_A_WINDOW),
        ).ddl_if(dialect="postgresql"),
        # What a window finished since a case (every rating).
        Index(
            "ix_tickets_window",
            "hall_id",
            "window_no",
            "state",
            "finished_at",
            sqlite_where=text("window_no IS NOT NULL"),
            postgresql_where=text("window_no IS NOT NULL"),
        ),
        # The day's tickets; it carries what the floor's service level counts (the alert
        # watch reads it twice a second), so that count reads the index alone.
        Index(
            "ix_tickets_day_calls",
            "hall_id",
            "business_day",
            "service_code",
            "called_at",
            "order_at",
            "transferred_from",
        ),
        # The last finished tickets of a service (handling times) and a window's last calls
        # (the priority ratio): read on every ticket and call, flat however long the day.
        Index(
            "ix_tickets_finished",
            "hall_id",
            "service_code",
            "state",
            "finished_at",
            sqlite_where=text("finished_at IS NOT NULL"),
            postgresql_where=text("finished_at IS NOT NULL"),
        ),
        # Only for readers that ask for called tickets (`called_at IS NOT NULL`): held to
        # `window_no IS NOT NULL`, PostgreSQL priced it like `ix_tickets_window` for any
        # read of a window's tickets and walked the window's history with it (issue 22).
        Index(
            "ix_tickets_window_called",
            "hall_id",
            "window_no",
            "called_at",
            sqlite_where=text("called_at IS NOT NULL"),
            postgresql_where=text("called_at IS NOT NULL"),
        ),
    )


class TicketRow(NamedTuple):
    """A ticket's row as a Core statement returns it (`RETURNING` every column, in the
    table's order): what a compare-and-set move answers with. A `Ticket` built from the same
    values cost each call and each no-show 22 µs of the ORM's instrumentation (issue 22)."""

    id: str
    hall_id: str
    service_code: str
    business_day: date
    prefix: str
    seq_no: int
    number: str
    priority: str
    state: str
    recall_count: int
    issued_at: datetime
    order_at: datetime
    called_at: datetime | None
    started_at: datetime | None
    held_at: datetime | None
    finished_at: datetime | None
    window_no: int | None
    target_window: int | None
    case_type: str | None
    deadline: date | None
    transferred_from: str | None
    transferred_to: str | None
    note: str | None


class Counter(Base):
    """Per-day counters (numbers per prefix, tickets per service for the daily cap)."""

    __tablename__ = "counters"
    hall_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    business_day: Mapped[date] = mapped_column(Date, primary_key=True)
    key: Mapped[str] = mapped_column(String(48), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


class IdempotencyKey(Base):
    __tablename__ = "idempotency_keys"
    hall_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    ticket_id: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Event(Base):
    __tablename__ = "events"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    hall_id: Mapped[str] = mapped_column(String(32))
    seq: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(48))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    ticket_id: Mapped[str | None] = mapped_column(String(32))
    window_no: Mapped[int | None] = mapped_column(Integer)
    clerk_id: Mapped[str | None] = mapped_column(String(64))
    device_id: Mapped[str | None] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    __table_args__ = (
        UniqueConstraint("hall_id", "seq", name="uq_events_hall_seq"),
        Index("ix_events_ticket", "ticket_id"),
        Index("ix_events_hall_kind_at", "hall_id", "kind", "at"),
    )


# ----- accounts and access (docs/access.md) -----------------------------------------------


class User(Base):
    """A staff account; `staff_no` (工号) is what people type and what the display shows."""

    __tablename__ = "users"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    hall_id: Mapped[str] = mapped_column(ForeignKey("halls.id"))
    staff_no: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class StaffSession(Base):
    """A login: only the SHA-256 of its bearer token is kept."""

    __tablename__ = "staff_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    __table_args__ = (Index("ix_staff_sessions_user", "user_id"),)


class Device(Base):
    """A kiosk, window display or hall board allowed to speak to the server."""

    __tablename__ = "devices"
    hall_id: Mapped[str] = mapped_column(ForeignKey("halls.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    window_no: Mapped[int | None] = mapped_column(Integer)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LoginFailure(Base):
    __tablename__ = "login_failures"
    staff_no: Mapped[str] = mapped_column(String(32), primary_key=True)
    address: Mapped[str] = mapped_column(String(64), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    last_at: Mapped[datetime] = mapped_column(UTCDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class WindowSignIn(Base):
    """A clerk at a window, from sign-in to sign-out, with its attendance."""

    __tablename__ = "window_sign_ins"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    hall_id: Mapped[str] = mapped_column(String(32))
    window_no: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    business_day: Mapped[date] = mapped_column(Date)
    signed_in_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sign_in_attendance: Mapped[str] = mapped_column(String(16))
    minutes_late: Mapped[int] = mapped_column(Integer, default=0)
    signed_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sign_out_attendance: Mapped[str | None] = mapped_column(String(16))
    minutes_early: Mapped[int] = mapped_column(Integer, default=0)
    __table_args__ = (
        ForeignKeyConstraint(["hall_id", "window_no"], ["windows.hall_id", "windows.number"]),
        # One clerk per window and one window per clerk at a time.
        Index(
            "uq_window_sign_ins_open_window",
            "hall_id",
            "window_no",
            unique=True,
            sqlite_where=text("signed_out_at IS NULL"),
            postgresql_where=text("signed_out_at IS NULL"),
        ),
        Index(
            "uq_window_sign_ins_open_user",
            "user_id",
            unique=True,
            sqlite_where=text("signed_out_at IS NULL"),
            postgresql_where=text("signed_out_at IS NULL"),
        ),
        Index("ix_window_sign_ins_day", "hall_id", "business_day"),
    )


# ----- rating (好差评) and follow-ups ---------------------------------------------------------


class Rating(Base):
    """One per ticket. Read by supervision and the reports, never shown to the clerk."""

    __tablename__ = "ratings"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    ticket_id: Mapped[str] = mapped_column(ForeignKey("tickets.id"), unique=True)
    hall_id: Mapped[str] = mapped_column(String(32))
    window_no: Mapped[int] = mapped_column(Integer)
    clerk_id: Mapped[str | None] = mapped_column(String(64))  # who finished the case
    business_day: Mapped[date] = mapped_column(Date)
    level: Mapped[str] = mapped_column(String(24))
    reasons: Mapped[list[str]] = mapped_column(JSON)
    device: Mapped[str] = mapped_column(String(64))
    rated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    __table_args__ = (Index("ix_ratings_day", "hall_id", "business_day"),)


class FollowUp(Base):
    """The case a bad rating opens: contact with the visitor, the fix, the closure."""

    __tablename__ = "follow_ups"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    hall_id: Mapped[str] = mapped_column(String(32))
    rating_id: Mapped[str] = mapped_column(ForeignKey("ratings.id"), unique=True)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    deadline: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(16))
    visitor_phone: Mapped[str | None] = mapped_column(String(32))
    contact_note: Mapped[str | None] = mapped_column(String(1000))
    contacted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    contacted_by: Mapped[str | None] = mapped_column(String(32))
    fix_note: Mapped[str | None] = mapped_column(String(1000))
    fixed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    fixed_by: Mapped[str | None] = mapped_column(String(32))
    closure_note: Mapped[str | None] = mapped_column(String(1000))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by: Mapped[str | None] = mapped_column(String(32))
    __table_args__ = (Index("ix_follow_ups_state", "hall_id", "state", "deadline"),)
