"""accounts access and rating

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_failures",
        sa.Column("staff_no", sa.String(length=32), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("staff_no", "address", name=op.f("pk_login_failures")),
    )
    op.create_table(
        "devices",
        sa.Column("hall_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("window_no", sa.Integer(), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["hall_id"], ["halls.id"], name=op.f("fk_devices_hall_id_halls")),
        sa.PrimaryKeyConstraint("hall_id", "name", name=op.f("pk_devices")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_devices_token_hash")),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("hall_id", sa.String(length=32), nullable=False),
        sa.Column("staff_no", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["hall_id"], ["halls.id"], name=op.f("fk_users_hall_id_halls")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("staff_no", name=op.f("uq_users_staff_no")),
    )
    op.create_table(
        "ratings",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("ticket_id", sa.String(length=32), nullable=False),
        sa.Column("hall_id", sa.String(length=32), nullable=False),
        sa.Column("window_no", sa.Integer(), nullable=False),
        sa.Column("clerk_id", sa.String(length=64), nullable=True),
        sa.Column("business_day", sa.Date(), nullable=False),
        sa.Column("level", sa.String(length=24), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("device", sa.String(length=64), nullable=False),
        sa.Column("rated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name=op.f("fk_ratings_ticket_id_tickets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ratings")),
        sa.UniqueConstraint("ticket_id", name=op.f("uq_ratings_ticket_id")),
    )
    with op.batch_alter_table("ratings", schema=None) as batch_op:
        batch_op.create_index("ix_ratings_day", ["hall_id", "business_day"], unique=False)

    op.create_table(
        "staff_sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_staff_sessions_user_id_users")
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_staff_sessions")),
    )
    with op.batch_alter_table("staff_sessions", schema=None) as batch_op:
        batch_op.create_index("ix_staff_sessions_user", ["user_id"], unique=False)

    op.create_table(
        "window_sign_ins",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("hall_id", sa.String(length=32), nullable=False),
        sa.Column("window_no", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("business_day", sa.Date(), nullable=False),
        sa.Column("signed_in_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sign_in_attendance", sa.String(length=16), nullable=False),
        sa.Column("minutes_late", sa.Integer(), nullable=False),
        sa.Column("signed_out_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sign_out_attendance", sa.String(length=16), nullable=True),
        sa.Column("minutes_early", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["hall_id", "window_no"],
            ["windows.hall_id", "windows.number"],
            name=op.f("fk_window_sign_ins_hall_id_windows"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_window_sign_ins_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_window_sign_ins")),
    )
    with op.batch_alter_table("window_sign_ins", schema=None) as batch_op:
        batch_op.create_index("ix_window_sign_ins_day", ["hall_id", "business_day"], unique=False)
        batch_op.create_index(
            "uq_window_sign_ins_open_user",
            ["user_id"],
            unique=True,
            sqlite_where=sa.text("signed_out_at IS NULL"),
            postgresql_where=sa.text("signed_out_at IS NULL"),
        )
        batch_op.create_index(
            "uq_window_sign_ins_open_window",
            ["hall_id", "window_no"],
            unique=True,
            sqlite_where=sa.text("signed_out_at IS NULL"),
            postgresql_where=sa.text("signed_out_at IS NULL"),
        )

    op.create_table(
        "follow_ups",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("hall_id", sa.String(length=32), nullable=False),
        sa.Column("rating_id", sa.String(length=32), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("visitor_phone", sa.String(length=32), nullable=True),
        sa.Column("contact_note", sa.String(length=1000), nullable=True),
        sa.Column("contacted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("contacted_by", sa.String(length=32), nullable=True),
        sa.Column("fix_note", sa.String(length=1000), nullable=True),
        sa.Column("fixed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("fixed_by", sa.String(length=32), nullable=True),
        sa.Column("closure_note", sa.String(length=1000), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["rating_id"], ["ratings.id"], name=op.f("fk_follow_ups_rating_id_ratings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_ups")),
        sa.UniqueConstraint("rating_id", name=op.f("uq_follow_ups_rating_id")),
    )
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.create_index("ix_follow_ups_state", ["hall_id", "state", "deadline"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.drop_index("ix_follow_ups_state")

    op.drop_table("follow_ups")
    with op.batch_alter_table("window_sign_ins", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_window_sign_ins_open_window",
            sqlite_where=sa.text("signed_out_at IS NULL"),
            postgresql_where=sa.text("signed_out_at IS NULL"),
        )
        batch_op.drop_index(
            "uq_window_sign_ins_open_user",
            sqlite_where=sa.text("signed_out_at IS NULL"),
            postgresql_where=sa.text("signed_out_at IS NULL"),
        )
        batch_op.drop_index("ix_window_sign_ins_day")

    op.drop_table("window_sign_ins")
    with op.batch_alter_table("staff_sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_staff_sessions_user")

    op.drop_table("staff_sessions")
    with op.batch_alter_table("ratings", schema=None) as batch_op:
        batch_op.drop_index("ix_ratings_day")

    op.drop_table("ratings")
    op.drop_table("users")
    op.drop_table("devices")
    op.drop_table("login_failures")
