"""the hall file as baseline and the duty lead's decisions of the day (docs/floor-monitor.md)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hall_baselines",
        sa.Column("hall_id", sa.String(length=32), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("arrangement", sa.JSON(), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["hall_id"], ["halls.id"], name=op.f("fk_hall_baselines_hall_id_halls")
        ),
        sa.PrimaryKeyConstraint("hall_id", name=op.f("pk_hall_baselines")),
    )
    with op.batch_alter_table("services") as batch:
        batch.add_column(sa.Column("issuing_decided_on", sa.Date(), nullable=True))
    with op.batch_alter_table("windows") as batch:
        batch.add_column(sa.Column("services_decided_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("open_decided_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("windows") as batch:
        batch.drop_column("open_decided_on")
        batch.drop_column("services_decided_on")
    with op.batch_alter_table("services") as batch:
        batch.drop_column("issuing_decided_on")
    op.drop_table("hall_baselines")
