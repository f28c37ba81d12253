"""Tables of the monthly assessment (docs/assessment.md): complaints, manual entries, conclusions of
promised cases, and the months (their latest run, frozen when closed)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from queue_server.domain.retention import RetentionCategory
from queue_server.storage.personal_data import PurgeRule, register_purge_rule
from queue_server.storage.tables import Base
from queue_server.storage.types import UTCDateTime


class Complaint(Base):
    """投诉登记. The complainant's identity (name, phone, address) is shown to supervision only
    and never enters the event log."""

    __tablename__ = "complaints"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    hall_id: Mapped[str] = mapped_column(ForeignKey("halls.id"))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    channel: Mapped[str] = mapped_column(String(16))
    content: Mapped[str] = mapped_column(String(4000))
    complainant_name: Mapped[str | None] = mapped_column(String(100))
    complainant_phone: Mapped[str | None] = mapped_column(String(32))
    complainant_address: Mapped[str | None] = mapped_column(String(300))
    window_no: Mapped[int | None] = mapped_column(Integer)
    staff_no: Mapped[str | None] = mapped_column(String(32))
    deadline: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    upheld: Mapped[bool | None] = mapped_column(Boolean)
    passed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answer: Mapped[str | None] = mapped_column(String(4000))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str | None] = mapped_column(String(2000))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_on: Mapped[date | None] = mapped_column(Date)
    revisit_note: Mapped[str | None] = mapped_column(String(2000))
    revisited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    registered_by: Mapped[str | None] = mapped_column(String(32))  # staff number
    request_key: Mapped[str | None] = mapped_column(String(128))
    __table_args__ = (
        UniqueConstraint("hall_id", "request_key", name="uq_complaints_request_key"),
        Index("ix_complaints_status", "hall_id", "status", "received_at"),
        Index("ix_complaints_decided", "hall_id", "staff_no", "decided_on"),
    )


class AssessmentEntry(Base):
    """A deduction or bonus recorded by supervision, or the reversal of one. Never updated:
    a reversal is a new row naming the entry it reverses (one reversal per entry)."""

    __tablename__ = "assessment_entries"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    hall_id: Mapped[str] = mapped_column(ForeignKey("halls.id"))
    kind: Mapped[str] = mapped_column(String(48))  # a rule kind, or "reversal"
    day: Mapped[date] = mapped_column(Date)
    staff_no: Mapped[str | None] = mapped_column(String(32))
    window_no: Mapped[int | None] = mapped_column(Integer)
    points: Mapped[float | None] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(String(1000))
    evidence: Mapped[str | None] = mapped_column(String(2000))
    reverses_id: Mapped[str | None] = mapped_column(String(32), unique=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[str | None] = mapped_column(String(32))  # staff number
    request_key: Mapped[str | None] = mapped_column(String(128))
    __table_args__ = (
        UniqueConstraint("hall_id", "request_key", name="uq_assessment_entries_request_key"),
        Index("ix_assessment_entries_day", "hall_id", "day"),
    )


class CaseConclusion(Base):
    """办结: the day a promised case was concluded (one per ticket)."""

    __tablename__ = "case_conclusions"
    ticket_id: Mapped[str] = mapped_column(ForeignKey("tickets.id"), primary_key=True)
    hall_id: Mapped[str] = mapped_column(String(32))
    concluded_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[str | None] = mapped_column(String(32))


class AssessmentMonth(Base):
    """A month's latest run; once closed, its result and the rules used are frozen."""

    __tablename__ = "assessment_months"
    hall_id: Mapped[str] = mapped_column(ForeignKey("halls.id"), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    state: Mapped[str] = mapped_column(String(8))  # open / closed
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    rules: Mapped[dict[str, Any]] = mapped_column(JSON)
    # what the closed month counted (domain/assessment/corrections.py `month_evidence`), so
    # that corrections need not decode the whole result; NULL while the month is open
    evidence: Mapped[dict[str, Any] | None] = mapped_column(JSON, deferred=True)
    runs: Mapped[int] = mapped_column(Integer, default=0)
    run_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by: Mapped[str | None] = mapped_column(String(32))


# The complainant's identity and the free texts that may repeat it; the facts (window, clerk,
# dates, status, outcome) stay for the assessment. Counted from the complaint's closure.
register_purge_rule(
    PurgeRule(
        table="complaints",
        age_column="closed_at",
        category=RetentionCategory.COMPLAINT,
        clear=(
            "complainant_name",
            "complainant_phone",
            "complainant_address",
            "answer",
            "decision_note",
            "revisit_note",
        ),
        replace={"content": "*"},
    )
)
