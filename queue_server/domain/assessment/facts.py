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
        return f"{self.kind.value}:{self.id}"


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
