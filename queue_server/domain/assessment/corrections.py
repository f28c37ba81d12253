"""Corrections (更正): facts dated in a closed month that the month did not count as they are.

A closed month is frozen: its scores were published and never change. A fact it did not count
(a manual entry dated in it recorded too late, the reversal of an entry that counted in it,
the conclusion of a promised case that the month charged as still open) never vanishes: it is
a correction of that month, listed for it, and it counts in the month it was recorded in, as a
dated line beside the parts (uncapped, unfloored). Whether the month counted a fact is read
off the evidence its frozen lines name. The rule is written out in docs/assessment.md
"Corrections".

Why the month of recording and not "the next open month": each correction then counts in
exactly one month, decided by when it was recorded, whatever is closed later; the month it is
recorded in cannot be closed yet (only a month that is over can be closed).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from queue_server.domain.assessment.facts import Fact
from queue_server.domain.months import bounds_of, month_of, months_between


@dataclass(frozen=True)
class Correction:
    """One fact recorded after its month was closed, as it counts in the month of recording."""

    month: str  # the closed month the fact is dated in
    happened_on: date  # the day it happened (entry day, conclusion day)
    recorded_on: date  # the hall's business day it was recorded on
    recorded_at: datetime
    recorded_by: str | None  # staff number, None: the system
    what: str  # what it changes, in words
    fact: Fact  # dated on `recorded_on`, `correction_of` = `month`

    @property
    def counts_in(self) -> str:
        return month_of(self.recorded_on)


@dataclass(frozen=True)
class FrozenMonth:
    """What a closed month counted, read off its frozen result: whether a fact is in it is
    decided by the evidence its lines name, not by timestamps (a fact recorded while the
    closing run was computing is not in it, whatever its time)."""

    month: str
    closed_at: datetime
    refs: frozenset[str]  # every ref of its parts' and bonus lines
    # overdue_case_day lines: the case's finish event ref -> all refs of the line (two or
    # three: a list searched is as quick as a set, and a busy month has 11,000 such lines)
    overdue: Mapping[str, Sequence[str]]

    def counted(self, ref: str) -> bool:
        return ref in self.refs


def month_evidence(result: Mapping[str, Any]) -> dict[str, Any]:
    """What a result counted, stored beside it when its month is closed: every ref its lines
    name, and each overdue_case_day line's refs by the case's finish (its first ref). A busy
    month's result is 11 MB of explained lines; this is a few hundred KB, and it is all that
    corrections ever read of a closed month."""
    refs: set[str] = set()
    overdue: dict[str, list[str]] = {}
    for graded in [*result.get("staff", ()), *result.get("windows", ())]:
        lines = [x for part in graded["parts"] for x in part["lines"]]
        for line in [*lines, *graded.get("bonus_lines", ())]:
            refs.update(line["refs"])
            if line["kind"] == "overdue_case_day" and line["refs"]:
                overdue[line["refs"][0]] = list(line["refs"])
    return {"refs": sorted(refs), "overdue": overdue}


def frozen_month(month: str, closed_at: datetime, evidence: Mapping[str, Any]) -> FrozenMonth:
    """The closed month from the evidence stored with it (`month_evidence`)."""
    return FrozenMonth(month, closed_at, frozenset(evidence["refs"]), evidence["overdue"])


def closed_when_recorded(day: date, ref: str, frozen: Mapping[str, FrozenMonth]) -> str | None:
    """The closed month `day` falls in, when the fact (`ref`) is not counted in it."""
    month = frozen.get(month_of(day))
    return month.month if month is not None and not month.counted(ref) else None


def correction(
    fact: Fact,
    month: str,
    happened_on: date,
    recorded_on: date,
    recorded_at: datetime,
    recorded_by: str | None,
    what: str,
) -> Correction:
    dated = replace(
        fact,
        day=recorded_on,
        correction_of=month,
        note=f"{happened_on}: {fact.note}" if fact.note else str(happened_on),
    )
    return Correction(month, happened_on, recorded_on, recorded_at, recorded_by, what, dated)


WorkingDaysBetween = Callable[[date, date], int]


def overdue_days_in(
    between: WorkingDaysBetween, deadline: date, end: date, first: date, last: date
) -> int:
    """Working days after `deadline` up to `end` that fall in the month [first, last] (the
    reports' own split of an overdue case across months)."""
    return max(0, between(max(deadline, first - timedelta(days=1)), min(end, last)))


def overdue_days_taken_back(
    between: WorkingDaysBetween,
    deadline: date,
    concluded_on: date,
    finish_ref: str,
    conclusion_ref: str,
    frozen: Mapping[str, FrozenMonth],
) -> dict[str, int]:
    """Per closed month: the overdue working days it charged for a case it saw as still open
    (its line names the case's finish but not the conclusion) that the conclusion day shows
    were not overdue. A month that saw the conclusion judged the case rightly."""
    taken_back: dict[str, int] = {}
    last_closed = max(frozen, default=None)
    if last_closed is None:
        return taken_back
    # a month that ended on or before the conclusion day charged what was due: start after
    for month in months_between(month_of(max(deadline, concluded_on)), last_closed):
        seen = frozen.get(month)
        line = seen.overdue.get(finish_ref) if seen is not None else None
        if line is None or conclusion_ref in line:
            continue
        first, last = bounds_of(date.fromisoformat(f"{month}-01"))
        charged = overdue_days_in(between, deadline, last, first, last)
        due = overdue_days_in(between, deadline, concluded_on, first, last)
        if charged > due:
            taken_back[month] = charged - due
    return taken_back
