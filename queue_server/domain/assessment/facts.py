"""What happened in a month, as the assessment sees it: facts with the evidence behind them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class RefKind(StrEnum):
    EVENT = "event"  # a sequence number of the hall's event log
    ENTRY = "entry"  # a manual entry of supervision
    COMPLAINT = "complaint"  # a complaint of the register


@dataclass(frozen=True)
class Ref:
    kind: RefKind
    id: str

    def __str__(self) -> str:
        # The kind is its own text (a StrEnum): `.value` costs more than the rest, and a
        # month's explained result has tens of thousands of references.
        return self.kind + ":" + self.id


@dataclass(frozen=True)
class Fact:
    """One thing that costs or earns points: its kind names a rule in `ScoringRules.kinds`.

    `quantity` multiplies the per-unit points (overdue working days). `points` is the
    absolute value a manual entry chose inside its kind's range, if any.
    """

    kind: str
    day: date
    staff_no: str | None = None
    window: int | None = None
    quantity: int = 1
    points: float | None = None
    note: str = ""
    refs: tuple[Ref, ...] = field(default_factory=tuple)
    # A correction (更正) of this closed month: the fact is dated in that month but was
    # recorded after it was closed, so it counts in the month it was recorded in, beside the
    # parts (docs/assessment.md "Corrections"). Its quantity is negative when it takes back.
    correction_of: str = ""


@dataclass(frozen=True)
class PromisedCaseFact:
    """A promised case (承诺件) finished at a window in the month, for the best window's
    "ahead of the promise" bonus: how many working days it was promised in (finish to
    deadline) and how many of them it was concluded ahead of the deadline (0 when on the
    deadline, late or not concluded yet)."""

    window: int
    day: date  # the conclusion's day, else the finish's
    promised_working_days: int
    working_days_ahead: int
    note: str = ""
    refs: tuple[Ref, ...] = field(default_factory=tuple)
