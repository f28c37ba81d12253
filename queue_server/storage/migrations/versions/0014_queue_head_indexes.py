"""indexes that make a call read the heads of the queues, not the whole queue

`queue_heads` (every call-next) ranked every waiting ticket of the window's services with a
window function; it now takes the first rows of each (service, priority class) from
`ix_tickets_heads`, and the tickets sent to the window by name from `ix_tickets_pinned`.
`ix_tickets_queue` now carries every column `count_ahead` tests (one count per ticket issued),
so the count reads the index alone instead of each waiting ticket's row.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04
"""

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_tickets_heads",
        "tickets",
        ["hall_id", "state", "service_code", "priority", "order_at", "number"],
    )
    op.create_index("ix_tickets_pinned", "tickets", ["hall_id", "target_window", "state"])
    op.drop_index("ix_tickets_queue", table_name="tickets")
    op.create_index(
        "ix_tickets_queue",
        "tickets",
        [
            "hall_id",
            "state",
            "service_code",
            "order_at",
            "priority",
            "number",
            "target_window",
            "id",
        ],
    )


def downgrade() -> None:
    op.drop_index("ix_tickets_queue", table_name="tickets")
    op.create_index("ix_tickets_queue", "tickets", ["hall_id", "state", "service_code", "order_at"])
    op.drop_index("ix_tickets_pinned", table_name="tickets")
    op.drop_index("ix_tickets_heads", table_name="tickets")
