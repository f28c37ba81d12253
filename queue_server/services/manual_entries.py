"""Deductions and bonuses supervision records by hand (what the system cannot see), and their
reversals. Append-only: an entry is never changed; a reversal is a new row and an event."""

from __future__ import annotations

import builtins
import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from queue_server.domain.assessment.corrections import closed_when_recorded
from queue_server.domain.assessment.rules import ScoringRules
from queue_server.domain.clock import Clock
from queue_server.domain.errors import RuleViolation
from queue_server.domain.events import EventKind
from queue_server.domain.months import month_of
from queue_server.services.database import Database
from queue_server.services.errors import Conflict, NotFound
from queue_server.services.event_log import Actor, append_event
from queue_server.services.halls import HallContext, HallRegistry
from queue_server.services.staff_numbers import check_staff_no, staff_no_of
from queue_server.storage.assessment_tables import AssessmentEntry

REVERSAL = "reversal"


@dataclass(frozen=True)
class NewEntry:
    kind: str
    day: date
    reason: str
    staff_no: str | None = None
    window: int | None = None
    points: float | None = None  # within the kind's range, for kinds that have one
    evidence: str | None = None


@dataclass(frozen=True)
class EntryView:
    id: str
    hall: str
    kind: str
    day: date
    staff_no: str | None
    window: int | None
    points: float | None
    reason: str
    evidence: str | None
    recorded_at: datetime
    recorded_by: str | None
    reversed_by: str | None  # the id of the reversal, if reversed
    reversal_reason: str | None

    @property
    def in_force(self) -> bool:
        return self.reversed_by is None


@dataclass(frozen=True)
class Placement:
    """Where an entry counts: the month of its day, or, dated in a month that was closed when
    it was recorded, the month it was recorded in as a correction of the closed one."""

    counts_in: str
    correction_of: str | None


def hall_rules(hall: HallContext) -> ScoringRules:
    return hall.config.assessment.rules()


def check_entry(rules: ScoringRules, new: NewEntry) -> None:
    try:
        rule = rules.kind(new.kind)
    except ValueError:
        known = sorted(k for k, r in rules.kinds.items() if r.manual)
        raise RuleViolation(
            f"unknown entry kind {new.kind!r}; known: {', '.join(known)}", code="unknown_kind"
        ) from None
    if not rule.manual:
        raise RuleViolation(
            f"{new.kind!r} is measured by the system, not entered by hand", code="not_manual"
        )
    if new.staff_no is None and new.window is None:
        raise RuleViolation("name the staff number, the window, or both", code="target_required")
    if new.staff_no is not None and rule.staff is None:
        raise RuleViolation(f"{new.kind!r} concerns windows, not staff", code="wrong_target")
    if new.window is not None and rule.window is None:
        raise RuleViolation(f"{new.kind!r} concerns staff, not windows", code="wrong_target")
    if new.points is not None:
        if rule.points_range is None:
            raise RuleViolation(
                f"{new.kind!r} has fixed points; leave points out", code="fixed_points"
            )
        low, high = rule.points_range
        if not low <= new.points <= high:
            raise RuleViolation(
                f"{new.kind!r} takes {low:g} to {high:g} points", code="points_out_of_range"
            )


class ManualEntryService:
    def __init__(self, db: Database, halls: HallRegistry, clock: Clock) -> None:
        self.db = db
        self.halls = halls
        self.clock = clock

    def add(
        self, hall_id: str, new: NewEntry, by: Actor, *, request_key: str | None = None
    ) -> tuple[EntryView, bool]:
        """(the entry, created now). A repeated `request_key` returns the first entry."""
        hall = self.halls.get(hall_id)
        check_entry(hall_rules(hall), new)
        if new.window is not None and hall.config.window(new.window) is None:
            raise NotFound(f"unknown window {new.window} in hall {hall.id}")
        now = self.clock.now()
        if new.day > hall.calendar.business_day(now):
            raise RuleViolation("an entry cannot be dated in the future", code="invalid_day")
        if request_key is not None:
            existing = self._by_key(hall.id, request_key, new)
            if existing is not None:
                return existing, False
        try:
            with self.db.write() as work:
                check_staff_no(work.session, hall.id, new.staff_no)
                row = AssessmentEntry(
                    id=uuid.uuid4().hex,
                    hall_id=hall.id,
                    kind=new.kind,
                    day=new.day,
                    staff_no=new.staff_no,
                    window_no=new.window,
                    points=new.points,
                    reason=new.reason,
                    evidence=new.evidence,
                    recorded_at=now,
                    recorded_by=staff_no_of(work.session, by),
                    request_key=request_key,
                )
                work.session.add(row)
                work.session.flush()
                append_event(
                    work, hall.id, EventKind.ASSESSMENT_ENTRY_ADDED, now, actor=by,
                    payload={"entry": row.id},
                )  # fmt: skip
                return _view(work.session, row, looked_up=True), True  # new: none reverses it
        except IntegrityError:
            existing = self._by_key(hall.id, request_key, new) if request_key else None
            if existing is None:
                raise
            return existing, False

    def reverse(self, hall_id: str, entry_id: str, reason: str, by: Actor) -> EntryView:
        hall = self.halls.get(hall_id)
        now = self.clock.now()
        try:
            with self.db.write() as work:
                original = _row(work.session, hall.id, entry_id)
                if original.kind == REVERSAL:
                    raise RuleViolation("a reversal cannot be reversed", code="not_reversible")
                if _reversal_of(work.session, original.id) is not None:
                    raise Conflict(f"entry {entry_id} is already reversed", code="already_reversed")
                row = AssessmentEntry(
                    id=uuid.uuid4().hex,
                    hall_id=hall.id,
                    kind=REVERSAL,
                    day=hall.calendar.business_day(now),
                    staff_no=original.staff_no,
                    window_no=original.window_no,
                    reason=reason,
                    reverses_id=original.id,
                    recorded_at=now,
                    recorded_by=staff_no_of(work.session, by),
                )
                work.session.add(row)
                work.session.flush()
                append_event(
                    work, hall.id, EventKind.ASSESSMENT_ENTRY_REVERSED, now, actor=by,
                    payload={"entry": row.id, "reverses": original.id},
                )  # fmt: skip
                return _view(work.session, original, row, looked_up=True)
        except IntegrityError:
            raise Conflict(
                f"entry {entry_id} is already reversed", code="already_reversed"
            ) from None

    def list(
        self, hall_id: str, first: date | None = None, last: date | None = None
    ) -> list[EntryView]:
        """Entries (not the reversal rows themselves) dated within [first, last]."""
        hall = self.halls.get(hall_id)
        with self.db.read() as session:
            return _entries(session, hall.id, first, last)

    def get(self, hall_id: str, entry_id: str) -> EntryView:
        hall = self.halls.get(hall_id)
        with self.db.read() as session:
            row = _row(session, hall.id, entry_id)
            return _view(session, row)

    def placements(self, hall_id: str, views: builtins.list[EntryView]) -> builtins.list[Placement]:
        """Where each entry counts (the rule of domain/assessment/corrections.py)."""
        from queue_server.services.assessment_corrections import frozen_months

        hall = self.halls.get(hall_id)
        with self.db.read() as session:
            # only the closed months these entries fall in: each is a few hundred KB of refs
            frozen = frozen_months(session, hall.id, {month_of(view.day) for view in views})
        placed: builtins.list[Placement] = []
        for view in views:
            month = closed_when_recorded(view.day, f"entry:{view.id}", frozen)
            if month is None:
                placed.append(Placement(month_of(view.day), None))
            else:
                recorded_on = hall.calendar.business_day(view.recorded_at)
                placed.append(Placement(month_of(recorded_on), month))
        return placed

    def _by_key(self, hall_id: str, key: str, new: NewEntry) -> EntryView | None:
        with self.db.read() as session:
            row = session.scalar(
                select(AssessmentEntry).where(
                    AssessmentEntry.hall_id == hall_id, AssessmentEntry.request_key == key
                )
            )
            if row is None:
                return None
            same = (row.kind, row.day, row.staff_no, row.window_no, row.points, row.reason) == (
                new.kind, new.day, new.staff_no, new.window, new.points, new.reason,
            )  # fmt: skip
            if not same:
                raise Conflict(
                    f"Idempotency-Key {key!r} was already used for a different entry",
                    code="idempotency_key_reused",
                )
            return _view(session, row)


def _entries(
    session: Session, hall_id: str, first: date | None, last: date | None
) -> list[EntryView]:
    query = select(AssessmentEntry).where(
        AssessmentEntry.hall_id == hall_id, AssessmentEntry.kind != REVERSAL
    )
    if first is not None:
        query = query.where(AssessmentEntry.day >= first)
    if last is not None:
        query = query.where(AssessmentEntry.day <= last)
    rows = list(session.scalars(query.order_by(AssessmentEntry.day, AssessmentEntry.recorded_at)))
    reversals = {
        r.reverses_id: r
        for r in session.scalars(
            select(AssessmentEntry).where(
                AssessmentEntry.hall_id == hall_id,
                AssessmentEntry.reverses_id.in_([row.id for row in rows]),
            )
        )
    }
    return [_view(session, row, reversals.get(row.id), looked_up=True) for row in rows]


def entries_in_force(session: Session, hall_id: str, first: date, last: date) -> list[EntryView]:
    return [e for e in _entries(session, hall_id, first, last) if e.in_force]


def _reversal_of(session: Session, entry_id: str) -> AssessmentEntry | None:
    return session.scalar(select(AssessmentEntry).where(AssessmentEntry.reverses_id == entry_id))


def _row(session: Session, hall_id: str, entry_id: str) -> AssessmentEntry:
    row = session.get(AssessmentEntry, entry_id)
    if row is None or row.hall_id != hall_id:
        raise NotFound(f"no assessment entry {entry_id!r} in hall {hall_id}")
    return row


def _view(
    session: Session,
    row: AssessmentEntry,
    reversal: AssessmentEntry | None = None,
    *,
    looked_up: bool = False,
) -> EntryView:
    """`looked_up`: the caller already searched for the reversal (None: there is none)."""
    if not looked_up and row.kind != REVERSAL:
        reversal = _reversal_of(session, row.id)
    return EntryView(
        id=row.id,
        hall=row.hall_id,
        kind=row.kind,
        day=row.day,
        staff_no=row.staff_no,
        window=row.window_no,
        points=row.points,
        reason=row.reason,
        evidence=row.evidence,
        recorded_at=row.recorded_at,
        recorded_by=row.recorded_by,
        reversed_by=reversal.id if reversal else None,
        reversal_reason=reversal.reason if reversal else None,
    )
