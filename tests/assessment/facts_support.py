"""Small builders for assessment facts in tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from queue_server.domain.assessment.facts import Fact, PromisedCaseFact, Ref, RefKind
from queue_server.domain.assessment.month import MonthInput, MonthResult, assess_month
from queue_server.domain.assessment.rules import DEFAULT_RULES, ScoringRules

DAY = date(2026, 11, 10)
# For checking points and grade bounds one subject at a time: with one staff member, 15 %
# rounds to no excellent place at all (the quota has its own tests).
NO_QUOTA = replace(DEFAULT_RULES, staff_excellent_share=1.0, window_excellent_share=1.0)


def fact(kind: str, staff_no: str | None = None, window: int | None = None, **kw: object) -> Fact:
    refs = kw.pop("refs", (Ref(RefKind.EVENT, "1"),))
    return Fact(kind, kw.pop("day", DAY), staff_no, window, refs=refs, **kw)  # type: ignore[arg-type]


def assess(
    facts: list[Fact],
    staff: list[str] | None = None,
    windows: list[int] | None = None,
    rules: ScoringRules = NO_QUOTA,
    **kw: object,
) -> MonthResult:
    given = MonthInput("test", "2026-11", staff or ["S1"], windows or [1], facts, **kw)  # type: ignore[arg-type]
    return assess_month(rules, given)


def promised_case(
    window: int, promised: int, ahead: int, day: date = DAY, seq: str = "7"
) -> PromisedCaseFact:
    """A promised case finished at `window`, promised in `promised` working days and concluded
    `ahead` working days before its deadline."""
    return PromisedCaseFact(window, day, promised, ahead, refs=(Ref(RefKind.EVENT, seq),))
