"""the ticket indexes that an issue need not write

An issue wrote the ticket into all nine of its indexes, 22-23 pages of SQLite's log a
ticket against two or three for a bare INSERT (issue 22). Four of them serve readers that
only ever look for tickets sent to a window by name, at a window, or finished; a new ticket
is none of these (except the few sent by name). Each now holds only such tickets: the
readers' own conditions (`target_window = ?`, `window_no = ?`, `finished_at IS NOT NULL`)
imply the index's, so both engines still use it, and an issue skips four B-trees.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06
"""

from alembic import op
from sqlalchemy import text

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

_AT_A_WINDOW = "window_no IS NOT NULL"
_PARTIAL = (
    ("ix_tickets_pinned", ["hall_id", "target_window", "state"], "target_window IS NOT NULL"),
    ("ix_tickets_window", ["hall_id", "window_no", "state", "finished_at"], _AT_A_WINDOW),
    (
        "ix_tickets_finished",
        ["hall_id", "service_code", "state", "finished_at"],
        "finished_at IS NOT NULL",
    ),
    ("ix_tickets_window_called", ["hall_id", "window_no", "called_at"], _AT_A_WINDOW),
)


def upgrade() -> None:
    for name, columns, where in _PARTIAL:
        op.drop_index(name, table_name="tickets")
        op.create_index(
            name,
            "tickets",
            columns,
            sqlite_where=text(where),
            postgresql_where=text(where),
        )


def downgrade() -> None:
    for name, columns, _where in _PARTIAL:
        op.drop_index(name, table_name="tickets")
        op.create_index(name, "tickets", columns)
