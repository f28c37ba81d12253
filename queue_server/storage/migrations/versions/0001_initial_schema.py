"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "counters",
        sa.Column("hall_id", sa.String(length=32), nullable=False),
        sa.Column("business_day", sa.Date(), nullable=False),
        sa.Column("key", sa.String(length=48), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("hall_id", "business_day", "key", name=op.f("pk_counters")),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("hall_id", sa.String(length=32), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=48), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ticket_id", sa.String(length=32), nullable=True),
        sa.Column("window_no", sa.Integer(), nullable=True),
        sa.Column("clerk_id", sa.String(length=64), nullable=True),
        sa.Column("device_id", sa.String(length=64), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
        sa.UniqueConstraint("hall_id", "seq", name="uq_events_hall_seq"),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index("ix_events_hall_kind_at", ["hall_id", "kind", "at"], unique=False)
        batch_op.create_index("ix_events_ticket", ["ticket_id"], unique=False)

    op.create_table(
        "halls",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("name_zh", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_halls")),
    )
    op.create_table(
        "idempotency_keys",
        sa.Column("hall_id", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("ticket_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("hall_id", "key", name=op.f("pk_idempotency_keys")),
    )
    op.create_table(
        "services",
        sa.Column("hall_id", sa.String(length=32), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name_zh", sa.String(length=200), nullable=False),
        sa.Column("prefix", sa.String(length=2), nullable=False),
        sa.Column("issuing_stopped", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["hall_id"], ["halls.id"], name=op.f("fk_services_hall_id_halls")),
        sa.PrimaryKeyConstraint("hall_id", "code", name=op.f("pk_services")),
    )
    op.create_table(
        "tickets",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("hall_id", sa.String(length=32), nullable=False),
        sa.Column("service_code", sa.String(length=32), nullable=False),
        sa.Column("business_day", sa.Date(), nullable=False),
        sa.Column("prefix", sa.String(length=2), nullable=False),
        sa.Column("seq_no", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=16), nullable=False),
        sa.Column("priority", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("recall_count", sa.Integer(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("order_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("called_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("held_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("window_no", sa.Integer(), nullable=True),
        sa.Column("target_window", sa.Integer(), nullable=True),
        sa.Column("case_type", sa.String(length=16), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("transferred_from", sa.String(length=32), nullable=True),
        sa.Column("transferred_to", sa.String(length=32), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(["hall_id"], ["halls.id"], name=op.f("fk_tickets_hall_id_halls")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tickets")),
    )
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.create_index("ix_tickets_day", ["hall_id", "business_day"], unique=False)
        batch_op.create_index(
            "ix_tickets_queue", ["hall_id", "state", "service_code", "order_at"], unique=False
        )
        batch_op.create_index("ix_tickets_window", ["hall_id", "window_no", "state"], unique=False)
        batch_op.create_index(
            "uq_tickets_number_per_day",
            ["hall_id", "business_day", "prefix", "seq_no"],
            unique=True,
            sqlite_where=sa.text("transferred_from IS NULL"),
            postgresql_where=sa.text("transferred_from IS NULL"),
        )

    op.create_table(
        "windows",
        sa.Column("hall_id", sa.String(length=32), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("name_zh", sa.String(length=200), nullable=False),
        sa.Column("is_open", sa.Boolean(), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("pause_reason", sa.String(length=32), nullable=True),
        sa.Column("pause_note", sa.String(length=500), nullable=True),
        sa.Column("paused_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["hall_id"], ["halls.id"], name=op.f("fk_windows_hall_id_halls")),
        sa.PrimaryKeyConstraint("hall_id", "number", name=op.f("pk_windows")),
    )
    op.create_table(
        "window_services",
        sa.Column("hall_id", sa.String(length=32), nullable=False),
        sa.Column("window_no", sa.Integer(), nullable=False),
        sa.Column("service_code", sa.String(length=32), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["hall_id", "service_code"],
            ["services.hall_id", "services.code"],
            name=op.f("fk_window_services_hall_id_services"),
        ),
        sa.ForeignKeyConstraint(
            ["hall_id", "window_no"],
            ["windows.hall_id", "windows.number"],
            name=op.f("fk_window_services_hall_id_windows"),
        ),
        sa.PrimaryKeyConstraint(
            "hall_id", "window_no", "service_code", name=op.f("pk_window_services")
        ),
    )


def downgrade() -> None:

    op.drop_table("window_services")
    op.drop_table("windows")
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_tickets_number_per_day",
            sqlite_where=sa.text("transferred_from IS NULL"),
            postgresql_where=sa.text("transferred_from IS NULL"),
        )
        batch_op.drop_index("ix_tickets_window")
        batch_op.drop_index("ix_tickets_queue")
        batch_op.drop_index("ix_tickets_day")

    op.drop_table("tickets")
    op.drop_table("services")
    op.drop_table("idempotency_keys")
    op.drop_table("halls")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index("ix_events_ticket")
        batch_op.drop_index("ix_events_hall_kind_at")

    op.drop_table("events")
    op.drop_table("counters")
