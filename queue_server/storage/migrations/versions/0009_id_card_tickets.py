"""tickets taken with the resident ID card, by keyed hash (刷身份证取号)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "id_card_tickets",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("hall_id", sa.String(length=32), nullable=False),
        sa.Column("id_hash", sa.String(length=64), nullable=True),
        sa.Column("business_day", sa.Date(), nullable=False),
        sa.Column("seat", sa.Integer(), nullable=False),
        sa.Column("request_key", sa.String(length=80), nullable=False),
        sa.Column("service_code", sa.String(length=32), nullable=False),
        sa.Column("ticket_id", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["hall_id"], ["halls.id"], name=op.f("fk_id_card_tickets_hall_id_halls")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_id_card_tickets")),
    )
    op.create_index(
        "uq_id_card_tickets_person_day",
        "id_card_tickets",
        ["hall_id", "id_hash", "business_day", "seat"],
        unique=True,
    )
    op.create_index(
        "uq_id_card_tickets_request", "id_card_tickets", ["hall_id", "request_key"], unique=True
    )


def downgrade() -> None:
    op.drop_index("uq_id_card_tickets_request", table_name="id_card_tickets")
    op.drop_index("uq_id_card_tickets_person_day", table_name="id_card_tickets")
    op.drop_table("id_card_tickets")
