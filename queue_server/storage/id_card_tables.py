"""刷身份证取号: which tickets a person took with the ID card today (the daily limit).

The person is only the keyed hash of the ID number (the key lives outside the database,
HALLQ_ID_KEY_FILE); the name, the birth date and the number itself are never written.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from queue_server.domain.retention import RetentionCategory
from queue_server.storage.personal_data import PurgeRule, register_purge_rule
from queue_server.storage.tables import Base
from queue_server.storage.types import UTCDateTime


class IdCardTicket(Base):
    __tablename__ = "id_card_tickets"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    hall_id: Mapped[str] = mapped_column(ForeignKey("halls.id"))
    id_hash: Mapped[str | None] = mapped_column(String(64))
    business_day: Mapped[date] = mapped_column(Date)
    # 1..tickets_per_person_per_day: the unique index caps a person's numbers of the day even
    # when two kiosks are tapped at once.
    seat: Mapped[int] = mapped_column(Integer)
    # The kiosk's Idempotency-Key: a retry after a lost answer finds its own seat again.
    request_key: Mapped[str] = mapped_column(String(80))
    service_code: Mapped[str] = mapped_column(String(32))
    ticket_id: Mapped[str | None] = mapped_column(String(32))  # None while being issued
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    __table_args__ = (
        Index(
            "uq_id_card_tickets_person_day",
            "hall_id",
            "id_hash",
            "business_day",
            "seat",
            unique=True,
        ),
        Index("uq_id_card_tickets_request", "hall_id", "request_key", unique=True),
    )


# The keyed hash links a ticket to a person; it is needed for the day's limit only, so it
# follows the visit's clock (`[retention] visit_days`). The ticket itself stays a ticket.
register_purge_rule(
    PurgeRule(
        table="id_card_tickets",
        age_column="business_day",
        category=RetentionCategory.VISIT,
        clear=("id_hash",),
    )
)
