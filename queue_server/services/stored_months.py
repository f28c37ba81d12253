"""Small pieces of stored month results, picked out by the database's own JSON reader.

A busy month's stored result is about 11 MB of explained lines. Decoding it in Python and
rebuilding the domain result takes 0.2-0.6 s a month, and some readers need only a few
fields of it: the previous month's grades (for the flag for two incompetent months in a row),
and the yearly summary (each month's totals, grades, best windows and flags, 6-8 s for a busy
year when it rebuilt twelve whole results). SQLite's `json_each` and PostgreSQL's
`json_array_elements` walk the text in C, and only the fields asked for reach Python.

The layout read here is `result_to_dict`'s (domain/assessment/month.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from queue_server.domain.assessment.year import MonthGrade

_WHERE_YEAR = "WHERE m.hall_id = :hall_id AND m.month LIKE :months"

# The staff array's subjects and grades, in order (a few fields of each element).
_GRADES = {
    "sqlite": text(
        "SELECT json_extract(e.value, '$.subject') AS subject, "
        "json_extract(e.value, '$.grade') AS grade "
        "FROM assessment_months AS m, json_each(m.result, '$.staff') AS e "
        "WHERE m.hall_id = :hall_id AND m.month = :month ORDER BY e.key"
    ),
    "postgresql": text(
        "SELECT e.v ->> 'subject' AS subject, e.v ->> 'grade' AS grade "
        "FROM assessment_months AS m "
        "CROSS JOIN LATERAL json_array_elements(m.result -> 'staff') WITH ORDINALITY AS e(v, i) "
        "WHERE m.hall_id = :hall_id AND m.month = :month ORDER BY e.i"
    ),
}


def stored_staff_grades(session: Session, hall_id: str, month: str) -> dict[str, str]:
    """Each staff member's grade in the month's stored result; empty if it was never run."""
    statement = _GRADES[session.get_bind().dialect.name]
    rows = session.execute(statement, {"hall_id": hall_id, "month": month})
    return {str(row.subject): str(row.grade) for row in rows}


@dataclass(frozen=True)
class StoredYear:
    """What the yearly summary needs of each stored month of a year, months in order."""

    states: dict[str, str]  # month -> open / closed
    staff: list[MonthGrade]
    windows: list[MonthGrade]
    best_windows: dict[str, list[int]]
    flags: dict[str, list[tuple[str, str]]]  # month -> (staff number, kind)


# The four arrays of each month in one statement, so that each stored result is parsed once
# at the top (and its arrays once more), not once for each array: on PostgreSQL, whose `json`
# is text parsed by every operator, four statements took 3.6 s for a busy year.
_YEAR_SIDES = "('staff', 'windows', 'best_windows', 'flags')"
_YEAR = {
    "sqlite": text(
        "SELECT m.month AS month, top.key AS side, "
        "json_extract(e.value, '$.subject') AS subject, "
        "json_extract(e.value, '$.total') AS total, "
        "json_extract(e.value, '$.grade') AS grade, "
        "json_extract(e.value, '$.staff_no') AS staff_no, "
        "json_extract(e.value, '$.kind') AS kind, "
        "CASE WHEN top.key = 'best_windows' THEN e.value END AS number "
        "FROM assessment_months AS m, json_each(m.result) AS top, json_each(top.value) AS e "
        f"{_WHERE_YEAR} AND top.key IN {_YEAR_SIDES} ORDER BY m.month, top.key, e.key"
    ),
    "postgresql": text(
        "SELECT m.month AS month, top.key AS side, "
        "CASE WHEN top.key IN ('staff', 'windows') THEN e.v ->> 'subject' END AS subject, "
        "CASE WHEN top.key IN ('staff', 'windows') THEN e.v -> 'total' END AS total, "
        "CASE WHEN top.key IN ('staff', 'windows') THEN e.v ->> 'grade' END AS grade, "
        "CASE WHEN top.key = 'flags' THEN e.v ->> 'staff_no' END AS staff_no, "
        "CASE WHEN top.key = 'flags' THEN e.v ->> 'kind' END AS kind, "
        "CASE WHEN top.key = 'best_windows' THEN e.v END AS number "
        "FROM assessment_months AS m CROSS JOIN LATERAL json_each(m.result) AS top "
        "CROSS JOIN LATERAL json_array_elements(top.value) WITH ORDINALITY AS e(v, i) "
        f"{_WHERE_YEAR} AND top.key IN {_YEAR_SIDES} ORDER BY m.month, top.key, e.i"
    ),
}


def stored_year(session: Session, hall_id: str, year: int) -> StoredYear:
    params: dict[str, Any] = {"hall_id": hall_id, "months": f"{year:04d}-%"}
    states = {
        str(month): str(state)
        for month, state in session.execute(
            text(
                "SELECT m.month, m.state FROM assessment_months AS m "
                f"{_WHERE_YEAR} ORDER BY m.month"
            ),
            params,
        )
    }
    sides: dict[str, list[MonthGrade]] = {"staff": [], "windows": []}
    best: dict[str, list[int]] = {month: [] for month in states}
    flags: dict[str, list[tuple[str, str]]] = {month: [] for month in states}
    for row in session.execute(_YEAR[session.get_bind().dialect.name], params):
        month = str(row.month)
        if row.side == "best_windows":
            best[month].append(int(row.number))
        elif row.side == "flags":
            flags[month].append((str(row.staff_no), str(row.kind)))
        else:
            sides[row.side].append(MonthGrade(month, str(row.subject), row.total, str(row.grade)))
    return StoredYear(states, sides["staff"], sides["windows"], best, flags)
