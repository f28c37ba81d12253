"""an index of the tickets at a window now

A call reads the ticket at its window (there must be none), and so do the ticket of a
window, the estimate's open windows and the floor. The only index of a window's tickets held
every ticket the window had ever called or finished; PostgreSQL priced it alike with the
window's calls by time and took either, then walked the window's whole history for the one
or two tickets there now: about 350 rows a window after the demo month, and on, on every
call (issue 22). This index holds only the tickets at a window (a few rows in any hall), and
its readers name the same states as literals, so a generic plan can prove it serves them.
PostgreSQL only: SQLite seeks the window's index by the state and would only write this one.

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


def upgrade() -> None:
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
