"""Tables of the month measures (docs/reports.md): the month's pass kept between runs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from queue_server.storage.tables import Base
from queue_server.storage.types import UTCDateTime


class MonthPassCheckpoint(Base):
    """The month pass's accumulator after the last event it read (domain/month_checkpoint.py),
    so the next run of the month reads only the events since. A cache: deleting a row costs
    one full pass of the month, nothing else."""

    __tablename__ = "month_pass_checkpoints"
    hall_id: Mapped[str] = mapped_column(ForeignKey("halls.id"), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    pass_version: Mapped[str] = mapped_column(String(32))
    inputs_digest: Mapped[str] = mapped_column(String(64))
    last_seq: Mapped[int] = mapped_column(BigInteger)
    events: Mapped[int] = mapped_column(Integer)
    state: Mapped[bytes] = mapped_column(LargeBinary)
    signature: Mapped[str] = mapped_column(String(64))
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime)
