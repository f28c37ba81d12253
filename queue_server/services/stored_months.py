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

from sqlalchemy import TextClause, text
from sqlalchemy.orm import Session

_WHERE_MONTH = "WHERE m.hall_id = :hall_id AND m.month = :month"
_WHERE_YEAR = "WHERE m.hall_id = :hall_id AND m.month LIKE :months"


def _elements(dialect: str, array: str, fields: dict[str, str], where: str) -> TextClause:
    """Each element of the result's top-level `array`, in order, with the month and the
    element's index: `fields` maps a label to the element's key. A field whose key ends in
    `#` is read as a JSON value (its number stays an int or a float, as Python wrote it)."""
    if dialect == "sqlite":
        picked = ", ".join(
            f"json_extract(e.value, '$.{key.rstrip('#')}') AS {label}"
            if key
            else f"e.value AS {label}"
            for label, key in fields.items()
        )
        source = f"json_each(m.result, '$.{array}') AS e"
        index = "e.key"
    elif dialect == "postgresql":
        picked = ", ".join(
            (f"e.v -> '{key[:-1]}'" if key.endswith("#") else f"e.v ->> '{key}'") + f" AS {label}"
            if key
            else f"e.v AS {label}"
            for label, key in fields.items()
        )
        source = f"json_array_elements(m.result -> '{array}') WITH ORDINALITY AS e(v, i)"
        index = "e.i"
    else:
        raise ValueError(f"no JSON reader for {dialect}")
    return text(
        f"SELECT m.month AS month, {picked} FROM assessment_months AS m "
        f"CROSS JOIN {source} {where} ORDER BY m.month, {index}"
    )


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def stored_staff_grades(session: Session, hall_id: str, month: str) -> dict[str, str]:
    """Each staff member's grade in the month's stored result; empty if it was never run."""
    statement = _elements(
        _dialect(session), "staff", {"subject": "subject", "grade": "grade"}, _WHERE_MONTH
    )
    rows = session.execute(statement, {"hall_id": hall_id, "month": month})
    return {str(row.subject): str(row.grade) for row in rows}


@dataclass(frozen=True)
class StoredGrade:
    month: str
    subject: str  # staff number, or the window number as text
    total: float
    grade: str


@dataclass(frozen=True)
class StoredYear:
    """What the yearly summary needs of each stored month of a year, months in order."""

    states: dict[str, str]  # month -> open / closed
    staff: list[StoredGrade]
    windows: list[StoredGrade]
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
    dialect = _dialect(session)
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
    sides: dict[str, list[StoredGrade]] = {"staff": [], "windows": []}
    best: dict[str, list[int]] = {month: [] for month in states}
    flags: dict[str, list[tuple[str, str]]] = {month: [] for month in states}
    for row in session.execute(_YEAR[dialect], params):
        month = str(row.month)
        if row.side == "best_windows":
            best[month].append(int(row.number))
        elif row.side == "flags":
            flags[month].append((str(row.staff_no), str(row.kind)))
        else:
            sides[row.side].append(StoredGrade(month, str(row.subject), row.total, str(row.grade)))
    return StoredYear(states, sides["staff"], sides["windows"], best, flags)
