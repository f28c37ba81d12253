"""the readers of a window's tickets no longer walk its history

A call reads the ticket at its window (there must be none), and so do the ticket of a
window, the estimate's open windows and the floor; a rating counts what the window finished
after the rated case. Two indexes began with (hall, window) and held every ticket the window
had ever called: `ix_tickets_window` (state, finished_at) and `ix_tickets_window_called`
(called_at). PostgreSQL priced them alike, took the second for all of these, and filtered the
window's whole history on every call and rating: about 350 rows a window after the demo
month, 940 after two, on and on (issue 22).

- `ix_tickets_window_called` now holds the called tickets (`called_at IS NOT NULL`), which
  only its own reader (a window's last calls) asks for; an issue still skips it.
- `ix_tickets_at_window` holds the tickets at a window now (a few rows in any hall); its
  readers name the states as literals, so a generic plan can prove it serves them.
  PostgreSQL only: SQLite seeks `ix_tickets_window` by the state and would only write it.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06
"""

from alembic import op
from sqlalchemy import text

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

_AT_A_WINDOW = "state IN ('called', 'serving')"
_CALLED = ["hall_id", "window_no", "called_at"]


def _window_called(where: str) -> None:
    op.drop_index("ix_tickets_window_called", table_name="tickets")
    op.create_index(
        "ix_tickets_window_called",
        "tickets",
        _CALLED,
        sqlite_where=text(where),
        postgresql_where=text(where),
    )


def upgrade() -> None:
    _window_called("called_at IS NOT NULL")
    if op.get_bind().dialect.name == "postgresql":
        op.create_index(
            "ix_tickets_at_window",
            "tickets",
            ["hall_id", "window_no"],
            postgresql_where=text(_AT_A_WINDOW),
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_tickets_at_window", table_name="tickets")
    _window_called("window_no IS NOT NULL")
