"""Corrections (更正) of closed months, read from the tables (domain/assessment/corrections.py
states the rule): manual entries dated in a closed month that it did not count, reversals of
entries it counted, and conclusions of promised cases it charged as still open. Whether a
closed month counted a fact is read off its frozen result (the evidence its lines name)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, aliased

from queue_server.domain.assessment.corrections import (
    Correction,
    FrozenMonth,
    correction,
    frozen_month,
    month_evidence,
    overdue_days_taken_back,
)
from queue_server.domain.assessment.facts import Fact, Ref, RefKind
from queue_server.domain.calendar import HallCalendar
from queue_server.domain.events import EventKind
from queue_server.domain.months import month_of
from queue_server.services.manual_entries import REVERSAL
from queue_server.storage.assessment_tables import (
    AssessmentEntry,
    AssessmentMonth,
    CaseConclusion,
)
from queue_server.storage.tables import Event, Ticket, User

CLOSED = "closed"


def frozen_months(
    session: Session, hall_id: str, months: Collection[str] | None = None
) -> dict[str, FrozenMonth]:
    """month -> what it counted, for every closed month of the hall, or for those of `months`
    (from the evidence stored at closing: a year of busy months' whole results took seconds
    to decode on every run)."""
    statement = select(
        AssessmentMonth.month, AssessmentMonth.closed_at, AssessmentMonth.evidence
    ).where(AssessmentMonth.hall_id == hall_id, AssessmentMonth.state == CLOSED)
    if months is not None:
        statement = statement.where(AssessmentMonth.month.in_(sorted(months)))
    rows = session.execute(statement)
    frozen = {}
    for month, closed_at, evidence in rows:
        if closed_at is None:
            continue
        if evidence is None:  # not expected (migration 0017 filled it in), but never wrong
            result = session.scalar(
                select(AssessmentMonth.result).where(
                    AssessmentMonth.hall_id == hall_id, AssessmentMonth.month == month
                )
            )
            evidence = month_evidence(result or {})
        frozen[month] = frozen_month(month, closed_at, evidence)
    return frozen


def corrections(session: Session, hall_id: str, calendar: HallCalendar) -> list[Correction]:
    """Every correction of the hall, in the order they were recorded."""
    frozen = frozen_months(session, hall_id)
    if not frozen:
        return []
    found = [
        *_entries(session, hall_id, calendar, frozen),
        *_conclusions(session, hall_id, calendar, frozen),
    ]
    return sorted(found, key=lambda c: (c.recorded_at, c.month, c.fact.kind))


def _entries(
    session: Session, hall_id: str, calendar: HallCalendar, frozen: dict[str, FrozenMonth]
) -> list[Correction]:
    first = min(date.fromisoformat(f"{m}-01") for m in frozen)
    reversal = aliased(AssessmentEntry)
    rows = session.execute(
        select(AssessmentEntry, reversal)
        .outerjoin(reversal, reversal.reverses_id == AssessmentEntry.id)
        .where(
            AssessmentEntry.hall_id == hall_id,
            AssessmentEntry.kind != REVERSAL,
            AssessmentEntry.day >= first,
        )
    )
    found: list[Correction] = []
    for entry, undone in rows:
        month = frozen.get(month_of(entry.day))
        if month is None:
            continue
        ref = f"entry:{entry.id}"
        counted = month.counted(ref)
        if not counted and undone is not None and undone.recorded_at <= month.closed_at:
            continue  # reversed before the month was closed: it never counted anywhere
        steps = [] if counted else [(entry, 1)]
        if undone is not None:
            steps.append((undone, -1))
        for row, sign in steps:
            fact = Fact(
                entry.kind,
                entry.day,
                entry.staff_no,
                entry.window_no,
                quantity=sign,
                points=entry.points,
                note=entry.reason,
                refs=(Ref(RefKind.ENTRY, entry.id),)
                + ((Ref(RefKind.ENTRY, row.id),) if sign < 0 else ()),
            )
            what = (
                f"撤销{month.month}已计入的人工记录 reverses an entry of {month.month}: "
                f"{row.reason}"
                if sign < 0
                else f"{month.month}关账后补录的人工记录 entry dated in {month.month}, "
                "not counted when it was closed"
            )
            found.append(
                correction(
                    fact,
                    month.month,
                    entry.day,
                    calendar.business_day(row.recorded_at),
                    row.recorded_at,
                    row.recorded_by,
                    what,
                )
            )
    return found


def _conclusions(
    session: Session, hall_id: str, calendar: HallCalendar, frozen: dict[str, FrozenMonth]
) -> list[Correction]:
    earliest = min(m.closed_at for m in frozen.values())
    finished = aliased(Event)
    concluded = aliased(Event)
    rows = session.execute(
        select(
            CaseConclusion.ticket_id,
            CaseConclusion.concluded_on,
            CaseConclusion.recorded_at,
            CaseConclusion.recorded_by,
            Ticket.number,
            Ticket.window_no,
            Ticket.deadline,
            User.staff_no,
            finished.seq,
            concluded.seq,
        )
        .join(Ticket, Ticket.id == CaseConclusion.ticket_id)
        .join(
            finished,
            and_(finished.ticket_id == Ticket.id, finished.kind == EventKind.TICKET_FINISHED),
        )
        .join(
            concluded,
            and_(concluded.ticket_id == Ticket.id, concluded.kind == EventKind.CASE_CONCLUDED),
        )
        .outerjoin(User, User.id == finished.clerk_id)
        .where(
            CaseConclusion.hall_id == hall_id,
            CaseConclusion.recorded_at > earliest,
            Ticket.deadline.is_not(None),
        )
    )
    found: list[Correction] = []
    for (
        _ticket,
        concluded_on,
        recorded_at,
        recorded_by,
        number,
        window,
        deadline,
        staff_no,
        finish_seq,
        conclusion_seq,
    ) in rows:
        if deadline is None:
            continue  # a conclusion is only recorded for a promised case, which has one
        taken_back = overdue_days_taken_back(
            calendar.working_days_between,
            deadline,
            concluded_on,
            f"event:{finish_seq}",
            f"event:{conclusion_seq}",
            frozen,
        )
        for month, days in taken_back.items():
            fact = Fact(
                "overdue_case_day",
                concluded_on,
                staff_no,
                window,
                quantity=-days,
                note=f"{number}, deadline {deadline}, concluded {concluded_on}",
                refs=(Ref(RefKind.EVENT, str(finish_seq)), Ref(RefKind.EVENT, str(conclusion_seq))),
            )
            what = (
                f"{month} 按未办结计超期 {days} 个工作日，办结日 {concluded_on} 关账后补录 "
                f"charged {days} overdue working days in {month} for a case concluded "
                f"{concluded_on}, recorded after the month was closed"
            )
            found.append(
                correction(
                    fact,
                    month,
                    concluded_on,
                    calendar.business_day(recorded_at),
                    recorded_at,
                    recorded_by,
                    what,
                )
            )
    return found
