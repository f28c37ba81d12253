"""The one adapter between what the hall measured and what the assessment scores.

Reads the month's measures (queue_server/domain/month_measures.py, built from the event log), the
complaints decided and the manual entries in force, and turns them into `Fact`s that name
the events, complaints or entries they came from. If the reports' model changes, only this
module follows it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from queue_server.domain.assessment.facts import Fact, PromisedCaseFact, Ref, RefKind
from queue_server.domain.assessment.flags import Decision
from queue_server.domain.month_measures import MonthMeasures
from queue_server.domain.rating import BAD
from queue_server.services.manual_entries import entries_in_force
from queue_server.storage.assessment_tables import Complaint


def _events(seqs: Iterable[int]) -> tuple[Ref, ...]:
    return tuple(Ref(RefKind.EVENT, str(s)) for s in seqs)


def _within(day: date, first: date, last: date) -> bool:
    return first <= day <= last


def measured_facts(measures: MonthMeasures) -> list[Fact]:
    first, last = measures.first_day, measures.last_day
    facts: list[Fact] = []
    for incident in measures.attendance:
        note = f"{incident.minutes} min" if incident.minutes else ""
        if incident.reason:
            note = f"{note}, {incident.reason}" if note else incident.reason
        facts.append(
            Fact(
                incident.kind,
                incident.day,
                incident.staff_no,
                incident.window,
                note=note,
                refs=_events(incident.event_seqs),
            )
        )
    for case in measures.overdue_cases:
        if case.overdue_working_days <= 0:
            continue
        concluded = case.concluded_on
        day = concluded if concluded and _within(concluded, first, last) else measures.as_of
        state = f"concluded {concluded}" if concluded else "not concluded yet"
        facts.append(
            Fact(
                "overdue_case_day",
                day,
                case.staff_no,
                case.window,
                quantity=case.overdue_working_days,
                note=f"{case.number}, deadline {case.deadline}, {state}",
                refs=_events(case.event_seqs),
            )
        )
    for rating in measures.ratings:
        if not rating.dissatisfied:
            continue
        facts.append(
            Fact(
                "dissatisfied_rating",
                rating.day or first,
                rating.staff_no,
                rating.window,
                note=rating.level,
                refs=_events((rating.event_seq,)),
            )
        )
    return facts


def window_volumes(measures: MonthMeasures) -> dict[int, int]:
    """Finished visits per window in the month (the best window's volume part)."""
    return {w.window: w.served for w in measures.windows}


def promised_case_facts(measures: MonthMeasures) -> list[PromisedCaseFact]:
    """Promised cases finished in the month, with how far ahead of the deadline they were
    concluded (the best window's "ahead of the promise" points)."""
    facts = []
    for case in measures.promised_cases:
        concluded = case.concluded_on
        state = f"concluded {concluded}" if concluded else "not concluded yet"
        facts.append(
            PromisedCaseFact(
                case.window,
                concluded or case.finished_on,
                case.promised_working_days,
                case.working_days_ahead,
                note=f"{case.number}, finished {case.finished_on}, deadline {case.deadline}, "
                f"{state}",
                refs=_events(case.event_seqs),
            )
        )
    return facts


def complaint_facts(session: Session, hall_id: str, first: date, last: date) -> list[Fact]:
    """Upheld complaints count in the month they were decided in."""
    rows = session.scalars(
        select(Complaint).where(
            Complaint.hall_id == hall_id,
            Complaint.upheld.is_(True),
            Complaint.decided_on >= first,
            Complaint.decided_on <= last,
        )
    )
    return [
        Fact(
            "complaint_upheld",
            row.decided_on,
            row.staff_no,
            row.window_no,
            refs=(Ref(RefKind.COMPLAINT, row.id),),
        )
        for row in rows
        if row.decided_on is not None
    ]


def entry_facts(session: Session, hall_id: str, first: date, last: date) -> list[Fact]:
    return [
        Fact(
            entry.kind,
            entry.day,
            entry.staff_no,
            entry.window,
            points=entry.points,
            note=entry.reason,
            refs=(Ref(RefKind.ENTRY, entry.id),),
        )
        for entry in entries_in_force(session, hall_id, first, last)
    ]


def decisions(session: Session, hall_id: str, last: date) -> dict[str, list[Decision]]:
    by_staff: dict[str, list[Decision]] = defaultdict(list)
    rows = session.execute(
        select(Complaint.id, Complaint.staff_no, Complaint.decided_on, Complaint.upheld).where(
            Complaint.hall_id == hall_id,
            Complaint.staff_no.is_not(None),
            Complaint.decided_on.is_not(None),
            Complaint.decided_on <= last,
        )
    )
    for complaint_id, staff_no, decided_on, upheld in rows:
        if staff_no is None or decided_on is None:
            continue  # excluded by the query; here for the type
        by_staff[staff_no].append(Decision(complaint_id, decided_on, bool(upheld)))
    return dict(by_staff)


def _tie_values(served: int, ratings: dict[str, int]) -> dict[str, float]:
    rated = sum(ratings.values())
    bad = sum(n for level, n in ratings.items() if level in BAD)
    return {
        "bad_ratings": bad,
        "satisfaction": (rated - bad) / rated if rated else 0.0,
        "volume": served,
    }


def staff_tie_values(measures: MonthMeasures) -> dict[str, dict[str, float]]:
    """Per staff member, the tie rule's measured criteria (dissatisfied ratings, satisfaction
    share, visits served)."""
    return {s.staff_no: _tie_values(s.served, s.ratings) for s in measures.staff}


def window_tie_values(measures: MonthMeasures) -> dict[str, dict[str, float]]:
    return {str(w.window): _tie_values(w.served, w.ratings) for w in measures.windows}


def assessed_staff(measures: MonthMeasures) -> list[str]:
    """Everybody who worked at a window this month. Anyone a fact names (an entry, a complaint)
    is added by the scoring; a clerk on leave all month is not assessed (a blank month would
    otherwise score 100 and take an excellent place)."""
    return sorted({s.staff_no for s in measures.staff if s.days_worked > 0 or s.served > 0})


def assessed_windows(measures: MonthMeasures) -> list[int]:
    """Windows staffed this month (a window closed all month is not a best window)."""
    return sorted({w.window for w in measures.windows if w.days_staffed > 0 or w.served > 0})
