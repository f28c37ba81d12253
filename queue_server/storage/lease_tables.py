"""Leased number blocks of kiosks and the offline tickets they reported back."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from queue_server.storage.tables import Base
from queue_server.storage.types import UTCDateTime


class NumberLease(Base):
    """Numbers first_seq..last_seq of one prefix and day, held by one kiosk."""

    __tablename__ = "number_leases"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    hall_id: Mapped[str] = mapped_column(ForeignKey("halls.id"))
    device: Mapped[str] = mapped_column(String(64))
    service_code: Mapped[str] = mapped_column(String(32))
    prefix: Mapped[str] = mapped_column(String(2))
    business_day: Mapped[date] = mapped_column(Date)
    first_seq: Mapped[int] = mapped_column(Integer)
    last_seq: Mapped[int] = mapped_column(Integer)
    # The kiosk's request id: a lost answer retried gets the same block, not a second one.
    request_key: Mapped[str] = mapped_column(String(80))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The kiosk's last contact about this lease (grant, renewal, upload): "offline since".
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    __table_args__ = (
        Index("uq_number_leases_request", "hall_id", "device", "request_key", unique=True),
        Index("ix_number_leases_day", "hall_id", "business_day", "service_code"),
    )


class OfflineTicket(Base):
    """A ticket a kiosk issued from its lease while cut off, once reconciled."""

    __tablename__ = "offline_tickets"
    hall_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    # The kiosk's journal key for the entry: an upload repeated or cut halfway finds it.
    entry_key: Mapped[str] = mapped_column(String(80), primary_key=True)
    lease_id: Mapped[str] = mapped_column(ForeignKey("number_leases.id"))
    ticket_id: Mapped[str] = mapped_column(ForeignKey("tickets.id"))
    seq_no: Mapped[int] = mapped_column(Integer)
    kiosk_issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    uploaded_by: Mapped[str] = mapped_column(String(64))  # the kiosk, or the duty lead
    __table_args__ = (Index("ix_offline_tickets_lease", "lease_id"),)
