"""indexes that keep a ticket's and a call's reads flat as the day (and the year) grows

`handling_minutes` (the last 30 finished tickets of a service, read on every ticket issued)
sorted every finished ticket of the service; `recent_priorities` (a window's last calls, on
every call in a hall with a priority ratio) sorted every ticket the window ever called.
Both now read the newest rows of an index and stop. The floor's service level (today's
called visitors within the target, read by the alert watch twice a second) is one aggregate
over `ix_tickets_day_calls`, which carries its columns and replaces `ix_tickets_day`.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03
"""

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_tickets_finished", "tickets", ["hall_id", "service_code", "state", "finished_at"]
    )
    op.create_index("ix_tickets_window_called", "tickets", ["hall_id", "window_no", "called_at"])
    op.create_index(
        "ix_tickets_day_calls",
        "tickets",
        ["hall_id", "business_day", "service_code", "called_at", "order_at", "transferred_from"],
    )
    op.drop_index("ix_tickets_day", table_name="tickets")


def downgrade() -> None:
    op.create_index("ix_tickets_day", "tickets", ["hall_id", "business_day"])
    op.drop_index("ix_tickets_day_calls", table_name="tickets")
    op.drop_index("ix_tickets_window_called", table_name="tickets")
    op.drop_index("ix_tickets_finished", table_name="tickets")
