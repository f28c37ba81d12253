"""the month pass kept between runs

A busy month's measures read its whole log (about 690,000 events for 150,000 tickets) on every
run: the bulletin, each re-run of the assessment, its closing, the year's summary. The pass's
state after the last event it read is now kept (domain/month_checkpoint.py), and the next run
reads only the events appended since (issue 22).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "month_pass_checkpoints",
        sa.Column("hall_id", sa.String(32), sa.ForeignKey("halls.id"), primary_key=True),
        sa.Column("month", sa.String(7), primary_key=True),
        sa.Column("pass_version", sa.String(32), nullable=False),
        sa.Column("inputs_digest", sa.String(64), nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("state", sa.LargeBinary(), nullable=False),
        sa.Column("signature", sa.String(64), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("month_pass_checkpoints")
