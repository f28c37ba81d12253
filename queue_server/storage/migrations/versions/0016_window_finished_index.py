"""a window's finished tickets in the order they finished

A rating checks that the window has finished no other case since the one rated (a count of
the window's tickets finished after it). `ix_tickets_window` (hall, window, state) found every
ticket the window ever finished and read each row for its `finished_at`: about 450 rows a
window after the demo month, tens of thousands after a year, on every rating. With
`finished_at` in the index the count is a seek and a short walk over the index alone. The
other readers of the index (the ticket at a window, by state) use the same prefix.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04
"""

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_tickets_window", table_name="tickets")
    op.create_index(
        "ix_tickets_window", "tickets", ["hall_id", "window_no", "state", "finished_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_tickets_window", table_name="tickets")
    op.create_index("ix_tickets_window", "tickets", ["hall_id", "window_no", "state"])
