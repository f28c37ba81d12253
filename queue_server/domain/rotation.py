"""Weekly rotation of the department staffing a comprehensive window (综合窗口, DOMAIN.md)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta


def department_on_duty(anchor: date, departments: Sequence[str], day: date) -> str:
    """The department on duty on `day`, rotating every ISO week from the week of `anchor`."""
    if not departments:
        raise ValueError("a rotation needs at least one department")
    anchor_monday = anchor - timedelta(days=anchor.isoweekday() - 1)
    day_monday = day - timedelta(days=day.isoweekday() - 1)
    weeks = (day_monday - anchor_monday).days // 7
    return departments[weeks % len(departments)]
