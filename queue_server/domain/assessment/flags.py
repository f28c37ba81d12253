"""Flags that look beyond one month (DOMAIN.md: two upheld complaints in a row, or two
consecutive months incompetent, remove a clerk from the centre)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from queue_server.domain.assessment.facts import Ref, RefKind


@dataclass(frozen=True)
class Decision:
    """A decided complaint concerning a clerk: when it was decided and whether upheld."""

    complaint_id: str
    decided_on: date
    upheld: bool


@dataclass(frozen=True)
class Flag:
    staff_no: str
    kind: str  # "complaints_in_a_row" | "incompetent_twice"
    text: str
    refs: tuple[Ref, ...] = ()


def complaints_in_a_row(
    staff_no: str, decisions: Sequence[Decision], first: date, last: date
) -> Flag | None:
    """The clerk's two latest decided complaints (up to `last`) were both upheld, the later one
    decided inside the month [first, last]. A complaint not upheld in between breaks the row."""
    seen = sorted((d for d in decisions if d.decided_on <= last), key=lambda d: d.decided_on)
    if len(seen) < 2:
        return None
    before, latest = seen[-2], seen[-1]
    if not (before.upheld and latest.upheld and latest.decided_on >= first):
        return None
    return Flag(
        staff_no,
        "complaints_in_a_row",
        "两次投诉属实 two upheld complaints in a row: removal from the centre to be considered",
        (Ref(RefKind.COMPLAINT, before.complaint_id), Ref(RefKind.COMPLAINT, latest.complaint_id)),
    )


def incompetent_twice(
    staff_no: str, previous_month: str, previous_grade: str | None, grade: str
) -> Flag | None:
    if grade != "incompetent" or previous_grade != "incompetent":
        return None
    return Flag(
        staff_no,
        "incompetent_twice",
        f"连续两个月不称职 incompetent in {previous_month} and this month: "
        "removal from the centre to be considered",
    )
