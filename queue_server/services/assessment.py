"""The monthly assessment: run a month (again and again while it is open), close it (the result
and the rules used are frozen), read it, sum up a year.

For the bulletin (queue_server/reports): `AssessmentService.month_result(hall_id, "2026-11")`
returns the stored `MonthRecord` (its `.result` is a domain `MonthResult`) or None when the
month was never run; it never computes, so a bulletin shows exactly what supervision ran or
closed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer

from queue_server.domain.assessment.corrections import Correction, month_evidence
from queue_server.domain.assessment.month import (
    MonthInput,
    MonthResult,
    assess_month,
    result_from_dict,
    result_to_dict,
)
from queue_server.domain.assessment.rules import rules_to_dict
from queue_server.domain.assessment.year import YearLine, year_lines
from queue_server.domain.clock import Clock
from queue_server.domain.errors import RuleViolation
from queue_server.domain.events import EventKind
from queue_server.domain.months import month_bounds, previous_month
from queue_server.services import assessment_facts as facts_of
from queue_server.services.assessment_corrections import corrections as corrections_of
from queue_server.services.collector import collector_paused
from queue_server.services.database import Database
from queue_server.services.errors import Conflict, NotFound
from queue_server.services.event_log import Actor, append_event
from queue_server.services.halls import HallContext, HallRegistry
from queue_server.services.manual_entries import hall_rules
from queue_server.services.reports import ReportService
from queue_server.services.staff_numbers import staff_no_of
from queue_server.services.stored_months import stored_staff_grades, stored_year
from queue_server.storage.assessment_tables import AssessmentMonth

OPEN, CLOSED = "open", "closed"
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class MonthRecord:
    hall: str
    month: str
    state: str  # open / closed
    runs: int
    run_at: datetime
    closed_at: datetime | None
    closed_by: str | None
    result: MonthResult
    rules: dict[str, Any]  # the rules the result was computed with

    @property
    def closed(self) -> bool:
        return self.state == CLOSED


@dataclass(frozen=True)
class MonthCorrections:
    hall: str
    month: str
    of_month: list[Correction]  # dated in the month, recorded after it was closed
    counted_here: list[Correction]  # recorded in the month, correcting earlier months


@dataclass(frozen=True)
class YearAssessment:
    hall: str
    year: int
    months: dict[str, str]  # month -> open / closed
    staff: list[YearLine]
    windows: list[YearLine]
    best_windows: dict[str, list[int]]
    flags: dict[str, list[str]]  # month -> "staff_no: kind"


class AssessmentService:
    def __init__(self, db: Database, halls: HallRegistry, clock: Clock) -> None:
        self.db = db
        self.halls = halls
        self.clock = clock

    # ----- computing -------------------------------------------------------------------------

    def compute(self, hall_id: str, month: str, progress: Progress | None = None) -> MonthResult:
        """The month's result from what is recorded now, with the hall's current rules."""
        hall = self.halls.get(hall_id)
        first, last = month_bounds(month)
        if first > hall.calendar.business_day(self.clock.now()):
            raise RuleViolation(f"{month} has not begun yet", code="month_in_future")
        measures = ReportService(self.db, self.halls, self.clock).month_measures(
            hall.id, month, progress
        )
        with self.db.read() as session:
            facts = [
                *facts_of.measured_facts(measures),
                *facts_of.complaint_facts(session, hall.id, first, last),
                *facts_of.entry_facts(session, hall.id, first, last),
                *(
                    c.fact
                    for c in corrections_of(session, hall.id, hall.calendar)
                    if c.counts_in == month
                ),
            ]
            decided = facts_of.decisions(session, hall.id, last)
            previous = stored_staff_grades(session, hall.id, previous_month(month))
        given = MonthInput(
            hall.id,
            month,
            facts_of.assessed_staff(measures),
            facts_of.assessed_windows(measures),
            facts,
            decided,
            previous,
            volumes=facts_of.window_volumes(measures),
            promised=facts_of.promised_case_facts(measures),
            staff_measured=facts_of.staff_tie_values(measures),
            window_measured=facts_of.window_tie_values(measures),
        )
        return assess_month(hall_rules(hall), given)

    def run_month(
        self, hall_id: str, month: str, by: Actor, progress: Progress | None = None
    ) -> MonthRecord:
        """Compute and store the month's scores; refused (409) once the month is closed."""
        hall = self.halls.get(hall_id)
        self._refuse_closed(hall, month)
        with collector_paused():
            result = self.compute(hall.id, month, progress)
            return self._store(hall, month, result, by, close=False)

    def close_month(self, hall_id: str, month: str, by: Actor) -> MonthRecord:
        """Run the month one last time and freeze it: later rule changes, entries or
        complaints never alter it. Only a month that is over can be closed."""
        hall = self.halls.get(hall_id)
        _, last = month_bounds(month)
        today = hall.calendar.business_day(self.clock.now())
        if last >= today:
            raise Conflict(
                f"{month} is not over yet (it ends {last}); close it from the next day on",
                code="month_not_over",
            )
        self._refuse_closed(hall, month)
        with collector_paused():
            result = self.compute(hall.id, month)
            return self._store(hall, month, result, by, close=True)

    def _refuse_closed(self, hall: HallContext, month: str) -> None:
        with self.db.read() as session:
            row = session.get(
                AssessmentMonth,
                (hall.id, month),
                # only its state: a stored result is tens of thousands of lines
                options=[defer(AssessmentMonth.result), defer(AssessmentMonth.rules)],
            )
            if row is not None and row.state == CLOSED:
                raise _closed(month, row)

    def _store(
        self, hall: HallContext, month: str, result: MonthResult, by: Actor, *, close: bool
    ) -> MonthRecord:
        try:
            return self._write(hall, month, result, by, close=close)
        except IntegrityError:
            # Two first runs of a month raced to insert its row; the row exists now.
            return self._write(hall, month, result, by, close=close)

    def _write(
        self, hall: HallContext, month: str, result: MonthResult, by: Actor, *, close: bool
    ) -> MonthRecord:
        now = self.clock.now()
        with self.db.write() as work:
            session = work.session
            row = session.scalar(
                select(AssessmentMonth)
                .where(AssessmentMonth.hall_id == hall.id, AssessmentMonth.month == month)
                # overwritten below: the earlier run's result is not read back first
                .options(defer(AssessmentMonth.result), defer(AssessmentMonth.rules))
                .with_for_update()
            )
            if row is not None and row.state == CLOSED:
                # closed by someone else while this run was computing
                raise _closed(month, row)
            if row is None:
                row = AssessmentMonth(hall_id=hall.id, month=month, runs=0)
                session.add(row)
            row.result = result_to_dict(result)
            row.evidence = month_evidence(row.result) if close else None
            row.rules = rules_to_dict(hall_rules(hall))
            row.runs = (row.runs or 0) + 1
            row.run_at = now
            row.state = CLOSED if close else OPEN
            if close:
                row.closed_at, row.closed_by = now, staff_no_of(session, by)
            session.flush()
            append_event(
                work,
                hall.id,
                EventKind.ASSESSMENT_MONTH_CLOSED if close else EventKind.ASSESSMENT_MONTH_RUN,
                now,
                actor=by,
                payload={"month": month, "runs": row.runs},
            )
            # The result just stored, not rebuilt from its dict (the same value: a test
            # reads it back): tens of thousands of explained lines.
            return _record(row, result)

    # ----- reading ---------------------------------------------------------------------------

    def month_result(self, hall_id: str, month: str) -> MonthRecord | None:
        """The stored result of the month (frozen if closed), or None if never run."""
        hall = self.halls.get(hall_id)
        month_bounds(month)
        with self.db.read() as session:
            row = session.get(AssessmentMonth, (hall.id, month))
            return _record(row) if row is not None else None

    def corrections(self, hall_id: str, month: str) -> MonthCorrections:
        """The corrections of a month (facts dated in it, recorded after it was closed, and
        where each counts) and those counting in it (recorded in it, of earlier months)."""
        hall = self.halls.get(hall_id)
        month_bounds(month)
        with self.db.read() as session:
            found = corrections_of(session, hall.id, hall.calendar)
        return MonthCorrections(
            hall.id,
            month,
            [c for c in found if c.month == month],
            [c for c in found if c.counts_in == month],
        )

    def month(self, hall_id: str, month: str) -> MonthRecord:
        record = self.month_result(hall_id, month)
        if record is None:
            raise NotFound(f"{month} has not been assessed yet; run it first")
        return record

    def year(self, hall_id: str, year: int) -> YearAssessment:
        """The yearly summary (DOMAIN.md: "yearly summary from the months") from the stored
        months; a month never run is left out and an open month is marked as such."""
        hall = self.halls.get(hall_id)
        with self.db.read() as session:
            stored = stored_year(session, hall.id, year)
        return YearAssessment(
            hall.id,
            year,
            stored.states,
            year_lines(stored.staff),
            year_lines(stored.windows),
            stored.best_windows,
            {
                month: [f"{staff_no}: {kind}" for staff_no, kind in flags]
                for month, flags in stored.flags.items()
            },
        )


def _closed(month: str, row: AssessmentMonth) -> Conflict:
    return Conflict(
        f"{month} was closed on {row.closed_at:%Y-%m-%d} by {row.closed_by or 'the system'}; "
        "a closed month is frozen and cannot be run again",
        code="month_closed",
    )


def _record(row: AssessmentMonth, result: MonthResult | None = None) -> MonthRecord:
    return MonthRecord(
        row.hall_id,
        row.month,
        row.state,
        row.runs,
        row.run_at,
        row.closed_at,
        row.closed_by,
        result if result is not None else result_from_dict(row.result),
        row.rules,
    )
