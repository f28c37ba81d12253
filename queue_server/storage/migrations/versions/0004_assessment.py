"""complaints, manual entries and frozen monthly scores (docs/assessment.md)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "complaints",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("hall_id", sa.String(length=32), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("content", sa.String(length=4000), nullable=False),
        sa.Column("complainant_name", sa.String(length=100), nullable=True),
        sa.Column("complainant_phone", sa.String(length=32), nullable=True),
        sa.Column("complainant_address", sa.String(length=300), nullable=True),
        sa.Column("window_no", sa.Integer(), nullable=True),
        sa.Column("staff_no", sa.String(length=32), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("upheld", sa.Boolean(), nullable=True),
        sa.Column("passed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answer", sa.String(length=4000), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.String(length=2000), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("revisit_note", sa.String(length=2000), nullable=True),
        sa.Column("revisited_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("registered_by", sa.String(length=32), nullable=True),
        sa.Column("request_key", sa.String(length=128), nullable=True),
        sa.ForeignKeyConstraint(
            ["hall_id"], ["halls.id"], name=op.f("fk_complaints_hall_id_halls")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaints")),
        sa.UniqueConstraint("hall_id", "request_key", name="uq_complaints_request_key"),
    )
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.create_index(
            "ix_complaints_status", ["hall_id", "status", "received_at"], unique=False
        )
        batch_op.create_index(
            "ix_complaints_decided", ["hall_id", "staff_no", "decided_on"], unique=False
        )

    op.create_table(
        "assessment_entries",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("hall_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=48), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("staff_no", sa.String(length=32), nullable=True),
        sa.Column("window_no", sa.Integer(), nullable=True),
        sa.Column("points", sa.Float(), nullable=True),
        sa.Column("reason", sa.String(length=1000), nullable=False),
        sa.Column("evidence", sa.String(length=2000), nullable=True),
        sa.Column("reverses_id", sa.String(length=32), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=32), nullable=True),
        sa.Column("request_key", sa.String(length=128), nullable=True),
        sa.ForeignKeyConstraint(
            ["hall_id"], ["halls.id"], name=op.f("fk_assessment_entries_hall_id_halls")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_entries")),
        sa.UniqueConstraint("reverses_id", name=op.f("uq_assessment_entries_reverses_id")),
        sa.UniqueConstraint("hall_id", "request_key", name="uq_assessment_entries_request_key"),
    )
    with op.batch_alter_table("assessment_entries", schema=None) as batch_op:
        batch_op.create_index("ix_assessment_entries_day", ["hall_id", "day"], unique=False)

    op.create_table(
        "case_conclusions",
        sa.Column("ticket_id", sa.String(length=32), nullable=False),
        sa.Column("hall_id", sa.String(length=32), nullable=False),
        sa.Column("concluded_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name=op.f("fk_case_conclusions_ticket_id_tickets")
        ),
        sa.PrimaryKeyConstraint("ticket_id", name=op.f("pk_case_conclusions")),
    )

    op.create_table(
        "assessment_months",
        sa.Column("hall_id", sa.String(length=32), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("runs", sa.Integer(), nullable=False),
        sa.Column("run_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["hall_id"], ["halls.id"], name=op.f("fk_assessment_months_hall_id_halls")
        ),
        sa.PrimaryKeyConstraint("hall_id", "month", name=op.f("pk_assessment_months")),
    )


def downgrade() -> None:
    op.drop_table("assessment_months")
    op.drop_table("case_conclusions")
    with op.batch_alter_table("assessment_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_assessment_entries_day")
    op.drop_table("assessment_entries")
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.drop_index("ix_complaints_decided")
        batch_op.drop_index("ix_complaints_status")
    op.drop_table("complaints")
