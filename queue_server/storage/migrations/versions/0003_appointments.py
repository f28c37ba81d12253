"""bookings, no-show credit and webhook outbox (docs/appointments.md)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

ACTIVE = "state IN ('booked', 'checked_in')"
HAS_REF = "source_ref IS NOT NULL"


def upgrade() -> None:
    op.create_table(
        "bookings",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("hall_id", sa.String(length=32), nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("service_code", sa.String(length=32), nullable=False),
        sa.Column("business_day", sa.Date(), nullable=False),
        sa.Column("slot_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("slot_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("day_seat", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("id_hash", sa.String(length=64), nullable=True),
        sa.Column("id_masked", sa.String(length=24), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("source_ref", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("checked_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("arrival", sa.String(length=16), nullable=True),
        sa.Column("ticket_id", sa.String(length=32), nullable=True),
        sa.Column("no_show_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("near_front_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["hall_id"], ["halls.id"], name=op.f("fk_bookings_hall_id_halls")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bookings")),
    )
    op.create_index("ix_bookings_state_slot", "bookings", ["hall_id", "state", "slot_start"])
    op.create_index("uq_bookings_code", "bookings", ["hall_id", "code"], unique=True)
    op.create_index(
        "uq_bookings_person_day",
        "bookings",
        ["hall_id", "id_hash", "business_day", "day_seat"],
        unique=True,
        sqlite_where=sa.text(ACTIVE),
        postgresql_where=sa.text(ACTIVE),
    )
    op.create_index(
        "uq_bookings_source_ref",
        "bookings",
        ["hall_id", "source_ref"],
        unique=True,
        sqlite_where=sa.text(HAS_REF),
        postgresql_where=sa.text(HAS_REF),
    )
    op.create_table(
        "booking_slots",
        sa.Column("hall_id", sa.String(length=32), nullable=False),
        sa.Column("service_code", sa.String(length=32), nullable=False),
        sa.Column("slot_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("booked", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "hall_id", "service_code", "slot_start", name=op.f("pk_booking_slots")
        ),
    )
    op.create_table(
        "booking_no_shows",
        sa.Column("booking_id", sa.String(length=32), nullable=False),
        sa.Column("hall_id", sa.String(length=32), nullable=False),
        sa.Column("id_hash", sa.String(length=64), nullable=True),
        sa.Column("business_day", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("booking_id", name=op.f("pk_booking_no_shows")),
    )
    op.create_index("ix_booking_no_shows_person", "booking_no_shows", ["hall_id", "id_hash"])
    op.create_table(
        "webhook_outbox",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("hall_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("booking_id", sa.String(length=32), nullable=False),
        sa.Column("places", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=300), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_outbox")),
    )
    op.create_index(
        "ix_webhook_outbox_due", "webhook_outbox", ["delivered_at", "failed_at", "next_attempt_at"]
    )


def downgrade() -> None:
    op.drop_table("webhook_outbox")
    op.drop_table("booking_no_shows")
    op.drop_table("booking_slots")
    op.drop_table("bookings")
