"""alerts, duty log and floor actions (docs/floor-monitor.md)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "floor_alerts",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("hall_id", sa.String(length=32), nullable=False),
        sa.Column("business_day", sa.Date(), nullable=False),
        sa.Column("key", sa.String(length=160), nullable=False),
        sa.Column("rule", sa.String(length=32), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("window_no", sa.Integer(), nullable=True),
        sa.Column("service_code", sa.String(length=32), nullable=True),
        sa.Column("device", sa.String(length=64), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cleared_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by", sa.String(length=32), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_floor_alerts")),
    )
    op.create_index("ix_floor_alerts_day", "floor_alerts", ["hall_id", "business_day"])
    op.create_table(
        "duty_log_entries",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("hall_id", sa.String(length=32), nullable=False),
        sa.Column("business_day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("text", sa.String(length=2000), nullable=False),
        sa.Column("author_id", sa.String(length=32), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duty_log_entries")),
    )
    op.create_index("ix_duty_log_entries_day", "duty_log_entries", ["hall_id", "business_day"])
    op.create_table(
        "backup_covers",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("hall_id", sa.String(length=32), nullable=False),
        sa.Column("business_day", sa.Date(), nullable=False),
        sa.Column("window_no", sa.Integer(), nullable=False),
        sa.Column("absent_user_id", sa.String(length=32), nullable=False),
        sa.Column("cover_user_id", sa.String(length=32), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("recorded_by", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_backup_covers")),
    )
    op.create_index("ix_backup_covers_day", "backup_covers", ["hall_id", "business_day"])
    op.create_table(
        "hall_announcements",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("hall_id", sa.String(length=32), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("shown_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("author_id", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hall_announcements")),
    )
    op.create_index("ix_hall_announcements_hall", "hall_announcements", ["hall_id", "shown_at"])


def downgrade() -> None:
    op.drop_index("ix_hall_announcements_hall", table_name="hall_announcements")
    op.drop_table("hall_announcements")
    op.drop_index("ix_backup_covers_day", table_name="backup_covers")
    op.drop_table("backup_covers")
    op.drop_index("ix_duty_log_entries_day", table_name="duty_log_entries")
    op.drop_table("duty_log_entries")
    op.drop_index("ix_floor_alerts_day", table_name="floor_alerts")
    op.drop_table("floor_alerts")
