"""Tables of the duty lead's floor monitor (docs/floor-monitor.md): alerts, duty log, backup covers,
the announcement on the hall board. Created by migration 0005."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from queue_server.storage.tables import Base
from queue_server.storage.types import UTCDateTime


class FloorAlert(Base):
    """An alert raised by the server; it leaves the list only when someone acknowledges it."""

    __tablename__ = "floor_alerts"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    hall_id: Mapped[str] = mapped_column(String(32))
    business_day: Mapped[date] = mapped_column(Date)
    key: Mapped[str] = mapped_column(String(160))
    rule: Mapped[str] = mapped_column(String(32))
    severity: Mapped[str] = mapped_column(String(16))
    window_no: Mapped[int | None] = mapped_column(Integer)
    service_code: Mapped[str | None] = mapped_column(String(32))
    device: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
    since: Mapped[datetime] = mapped_column(UTCDateTime)
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime)
    cleared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(String(500))
    __table_args__ = (Index("ix_floor_alerts_day", "hall_id", "business_day"),)


class DutyLogEntry(Base):
    """值班日志: an entry of the day, or the handover note to the next duty lead."""

    __tablename__ = "duty_log_entries"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    hall_id: Mapped[str] = mapped_column(String(32))
    business_day: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(String(2000))
    author_id: Mapped[str] = mapped_column(String(32))
    written_at: Mapped[datetime] = mapped_column(UTCDateTime)
    __table_args__ = (Index("ix_duty_log_entries_day", "hall_id", "business_day"),)


class BackupCover(Base):
    """B岗顶岗: a backup clerk covers a window while its clerk is away 30 minutes to 2 hours."""

    __tablename__ = "backup_covers"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    hall_id: Mapped[str] = mapped_column(String(32))
    business_day: Mapped[date] = mapped_column(Date)
    window_no: Mapped[int] = mapped_column(Integer)
    absent_user_id: Mapped[str] = mapped_column(String(32))
    cover_user_id: Mapped[str] = mapped_column(String(32))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str | None] = mapped_column(String(500))
    recorded_by: Mapped[str] = mapped_column(String(32))
    __table_args__ = (Index("ix_backup_covers_day", "hall_id", "business_day"),)


class HallAnnouncement(Base):
    """A text the duty lead shows on the hall board until it expires or is replaced."""

    __tablename__ = "hall_announcements"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    hall_id: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(String(500))
    shown_at: Mapped[datetime] = mapped_column(UTCDateTime)
    until: Mapped[datetime] = mapped_column(UTCDateTime)
    author_id: Mapped[str] = mapped_column(String(32))
    __table_args__ = (Index("ix_hall_announcements_hall", "hall_id", "shown_at"),)
