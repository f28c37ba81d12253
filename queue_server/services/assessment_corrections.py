"""Corrections (更正) of closed months, read from the tables (domain/assessment/corrections.py
states the rule): manual entries dated in a month closed before they were recorded, reversals
recorded after the month of their entry was closed, and conclusions of promised cases recorded
after a month charged the case as still open."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, aliased

from queue_server.domain.assessment.corrections import (
    Correction,
    closed_when_recorded,
    correction,
    overdue_days_taken_back,
)
from queue_server.domain.assessment.facts import Fact, Ref, RefKind
from queue_server.domain.calendar import HallCalendar
from queue_server.services.manual_entries import REVERSAL
from queue_server.storage.assessment_tables import (
    AssessmentEntry,
    AssessmentMonth,
    CaseConclusion,
)
from queue_server.storage.tables import Event, Ticket, User

CLOSED = "closed"


def closed_months(session: Session, hall_id: str) -> dict[str, datetime]:
    """month -> when it was closed."""
    rows = session.execute(
        select(AssessmentMonth.month, AssessmentMonth.closed_at).where(
            AssessmentMonth.hall_id == hall_id, AssessmentMonth.state == CLOSED
        )
    )
    return {month: closed_at for month, closed_at in rows if closed_at is not None}


def corrections(session: Session, hall_id: str, calendar: HallCalendar) -> list[Correction]:
    """Every correction of the hall, in the order they were recorded."""
    closed = closed_months(session, hall_id)
    if not closed:
        return []
    found = [
        *_entries(session, hall_id, calendar, closed),
        *_conclusions(session, hall_id, calendar, closed),
    ]
    return sorted(found, key=lambda c: (c.recorded_at, c.month, c.fact.kind))


def _entries(
    session: Session, hall_id: str, calendar: HallCalendar, closed: dict[str, datetime]
) -> list[Correction]:
    earliest = min(closed.values())
    found: list[Correction] = []
    original = aliased(AssessmentEntry)
    rows = session.execute(
        select(AssessmentEntry, original)
        .outerjoin(original, original.id == AssessmentEntry.reverses_id)
        .where(AssessmentEntry.hall_id == hall_id, AssessmentEntry.recorded_at > earliest)
    )
    for row, reversed_entry in rows:
        entry = reversed_entry if row.kind == REVERSAL else row
        if entry is None:
            continue
        month = closed_when_recorded(entry.day, row.recorded_at, closed)
        if month is None:
            continue
        taking_back = row.kind == REVERSAL
        fact = Fact(
            entry.kind,
            entry.day,
            entry.staff_no,
            entry.window_no,
            quantity=-1 if taking_back else 1,
            points=entry.points,
            note=entry.reason,
            refs=(Ref(RefKind.ENTRY, entry.id),)
            + ((Ref(RefKind.ENTRY, row.id),) if taking_back else ()),
        )
        what = (
            f"撤销 {month} 已计入的人工记录 reverses an entry counted in {month}: {row.reason}"
            if taking_back
            else f"{month} 关账后补录的人工记录 entry dated in {month}, recorded after closing"
        )
        found.append(
            correction(
                fact,
                month,
                entry.day,
                calendar.business_day(row.recorded_at),
                row.recorded_at,
                row.recorded_by,
                what,
            )
        )
    return found


def _conclusions(
    session: Session, hall_id: str, calendar: HallCalendar, closed: dict[str, datetime]
) -> list[Correction]:
    earliest = min(closed.values())
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
            and_(finished.ticket_id == Ticket.id, finished.kind == "ticket.finished"),
        )
        .join(
            concluded,
            and_(concluded.ticket_id == Ticket.id, concluded.kind == "case.concluded"),
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
        taken_back = overdue_days_taken_back(
            calendar.working_days_between, deadline, concluded_on, recorded_at, closed
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
