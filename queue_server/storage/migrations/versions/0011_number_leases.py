"""leased number blocks of kiosks and the offline tickets reconciled from their journals

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "number_leases",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("hall_id", sa.String(length=32), nullable=False),
        sa.Column("device", sa.String(length=64), nullable=False),
        sa.Column("service_code", sa.String(length=32), nullable=False),
        sa.Column("prefix", sa.String(length=2), nullable=False),
        sa.Column("business_day", sa.Date(), nullable=False),
        sa.Column("first_seq", sa.Integer(), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("request_key", sa.String(length=80), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["hall_id"], ["halls.id"], name=op.f("fk_number_leases_hall_id_halls")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_number_leases")),
    )
    op.create_index(
        "uq_number_leases_request",
        "number_leases",
        ["hall_id", "device", "request_key"],
        unique=True,
    )
    op.create_index(
        "ix_number_leases_day", "number_leases", ["hall_id", "business_day", "service_code"]
    )
    op.create_table(
        "offline_tickets",
        sa.Column("hall_id", sa.String(length=32), nullable=False),
        sa.Column("entry_key", sa.String(length=80), nullable=False),
        sa.Column("lease_id", sa.String(length=32), nullable=False),
        sa.Column("ticket_id", sa.String(length=32), nullable=False),
        sa.Column("seq_no", sa.Integer(), nullable=False),
        sa.Column("kiosk_issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("uploaded_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["lease_id"],
            ["number_leases.id"],
            name=op.f("fk_offline_tickets_lease_id_number_leases"),
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name=op.f("fk_offline_tickets_ticket_id_tickets")
        ),
        sa.PrimaryKeyConstraint("hall_id", "entry_key", name=op.f("pk_offline_tickets")),
    )
    op.create_index("ix_offline_tickets_lease", "offline_tickets", ["lease_id"])


def downgrade() -> None:
    op.drop_index("ix_offline_tickets_lease", table_name="offline_tickets")
    op.drop_table("offline_tickets")
    op.drop_index("ix_number_leases_day", table_name="number_leases")
    op.drop_index("uq_number_leases_request", table_name="number_leases")
    op.drop_table("number_leases")
