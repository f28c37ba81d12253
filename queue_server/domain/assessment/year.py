"""A year of assessed months summed up per staff member and per window (DOMAIN.md: "yearly
summary from the months"): each month's total and grade as stored, the average of the months
assessed, how many months of each grade, best first."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class MonthGrade:
    """One subject's total and grade in one stored month."""

    month: str
    subject: str  # staff number, or the window number as text
    total: float
    grade: str


@dataclass(frozen=True)
class YearLine:
    subject: str  # staff number or window number
    months: dict[str, tuple[float, str]]  # month -> (total, grade)
    average: float
    grades: dict[str, int]  # grade -> months


def year_lines(graded: Iterable[MonthGrade]) -> list[YearLine]:
    """One line per subject, highest average first (then by subject); months in the order
    given."""
    by_subject: dict[str, dict[str, tuple[float, str]]] = {}
    for g in graded:
        by_subject.setdefault(g.subject, {})[g.month] = (g.total, g.grade)
    lines = []
    for subject, per_month in by_subject.items():
        grades: dict[str, int] = {}
        for _, grade in per_month.values():
            grades[grade] = grades.get(grade, 0) + 1
        average = round(sum(t for t, _ in per_month.values()) / len(per_month), 2)
        lines.append(YearLine(subject, per_month, average, grades))
    return sorted(lines, key=lambda x: (-x.average, x.subject))
