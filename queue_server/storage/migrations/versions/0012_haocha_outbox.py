"""the 好差评 outbox: records for the provincial platform until it has them

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "haocha_outbox",
        sa.Column("id", sa.String(length=160), nullable=False),
        sa.Column("hall_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("source_id", sa.String(length=32), nullable=False),
        sa.Column("level", sa.String(length=24), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("problem", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=300), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_haocha_outbox")),
    )
    op.create_index("ix_haocha_outbox_due", "haocha_outbox", ["delivered_at", "next_attempt_at"])
    op.create_index("ix_haocha_outbox_source", "haocha_outbox", ["hall_id", "kind", "source_id"])
    op.create_index("ix_haocha_outbox_day", "haocha_outbox", ["hall_id", "day"])


def downgrade() -> None:
    op.drop_index("ix_haocha_outbox_day", table_name="haocha_outbox")
    op.drop_index("ix_haocha_outbox_source", table_name="haocha_outbox")
    op.drop_index("ix_haocha_outbox_due", table_name="haocha_outbox")
    op.drop_table("haocha_outbox")
