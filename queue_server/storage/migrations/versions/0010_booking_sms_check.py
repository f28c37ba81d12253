"""the optional SMS check of online bookings: how long a booking is held, wrong codes so far

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("bookings") as batch:
        batch.add_column(sa.Column("verify_until", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(
            sa.Column("verify_attempts", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("bookings") as batch:
        batch.drop_column("verify_attempts")
        batch.drop_column("verify_until")
