"""The 好差评 outbox: records for the provincial platform, kept until it has them.

Not the booking webhook outbox: those are composed from a booking at delivery and given up
after a few attempts, while a 好差评 record is rendered once (its body is what the province
receives, what the reconciliation file counts and what an export repeats) and is never given
up. Created by migration 0012.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from queue_server.storage.tables import Base
from queue_server.storage.types import UTCDateTime


class HaochaOutbox(Base):
    __tablename__ = "haocha_outbox"
    # `<hall>-<rating id>` or `<evaluation id>-<step>-<unix time>`: what the platform dedupes by.
    id: Mapped[str] = mapped_column(String(160), primary_key=True)
    hall_id: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))  # rating, contact, rectification, closing
    source_id: Mapped[str] = mapped_column(String(32))  # the rating the record belongs to
    level: Mapped[str] = mapped_column(String(24))
    day: Mapped[date] = mapped_column(Date)  # the record's own local day
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The rendered record (masked contact only); None with `problem` when it cannot be sent.
    body: Mapped[str] = mapped_column(Text)
    problem: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(300))
    __table_args__ = (
        Index("ix_haocha_outbox_due", "delivered_at", "next_attempt_at"),
        Index("ix_haocha_outbox_source", "hall_id", "kind", "source_id"),
        Index("ix_haocha_outbox_day", "hall_id", "day"),
    )
