"""what a closed month counted, stored beside its result

Corrections (domain/assessment/corrections.py) ask of every closed month which entries and
overdue case-days it counted. They decoded each closed month's whole stored result for that,
on every run of a month and every listing of the entries: 0.25 s a busy month (11 MB of
explained lines), seconds after a year of them. `evidence` holds only the refs (a few
hundred KB), written when a month is closed; here it is filled in for the months closed
before.

The walk below is the one of `month_evidence` as it stands today, copied so that this
migration keeps doing what it did when the domain module changes.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

_MONTHS = sa.table(
    "assessment_months",
    sa.column("hall_id", sa.String),
    sa.column("month", sa.String),
    sa.column("state", sa.String),
    sa.column("result", sa.JSON),
    sa.column("evidence", sa.JSON),
)


def _evidence(result: dict[str, Any]) -> dict[str, Any]:
    refs: set[str] = set()
    overdue: dict[str, list[str]] = {}
    for graded in [*result.get("staff", ()), *result.get("windows", ())]:
        lines = [x for part in graded["parts"] for x in part["lines"]]
        for line in [*lines, *graded.get("bonus_lines", ())]:
            refs.update(line["refs"])
            if line["kind"] == "overdue_case_day" and line["refs"]:
                overdue[line["refs"][0]] = list(line["refs"])
    return {"refs": sorted(refs), "overdue": overdue}


def upgrade() -> None:
    op.add_column("assessment_months", sa.Column("evidence", sa.JSON(), nullable=True))
    connection = op.get_bind()
    closed = connection.execute(
        sa.select(_MONTHS.c.hall_id, _MONTHS.c.month).where(_MONTHS.c.state == "closed")
    ).all()
    for hall_id, month in closed:  # one at a time: each result can be megabytes
        where = sa.and_(_MONTHS.c.hall_id == hall_id, _MONTHS.c.month == month)
        result = connection.scalar(sa.select(_MONTHS.c.result).where(where))
        connection.execute(_MONTHS.update().where(where).values(evidence=_evidence(result or {})))


def downgrade() -> None:
    with op.batch_alter_table("assessment_months") as batch:
        batch.drop_column("evidence")
