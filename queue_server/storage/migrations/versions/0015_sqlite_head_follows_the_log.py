"""on SQLite, the hall's chain head follows each event inserted (a trigger)

`append_event` wrote every event with two statements on SQLite: the event's INSERT, then an
UPDATE moving `halls.last_seq`/`last_hash` to it (PostgreSQL already does both in one
statement, a data-modifying CTE). SQLite has no UPDATE inside WITH, so the database moves the
head itself: an AFTER INSERT trigger on `events`, run inside the INSERT, one statement an
event instead of two (about 70 us of SQLAlchemy each on this path, issue 22). The head only
moves forward (`last_seq < NEW.seq`), so a row put back into a gap never rewinds it.

Keep it: a later SQLite migration that rebuilds `events` (batch mode copies the table and
drops the old one, triggers included) must create this trigger again; one that rebuilds
`halls` must drop it first and create it after, since SQLite checks the trigger's body when
the copied table is renamed. Without it every append would leave the head behind and the
chain would break at the second event, so the whole suite says so at once.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04
"""

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

TRIGGER = "events_move_chain_head"


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(
        f"""
        CREATE TRIGGER {TRIGGER} AFTER INSERT ON events
        BEGIN
            UPDATE halls SET last_seq = NEW.seq, last_hash = NEW.hash
            WHERE id = NEW.hall_id AND last_seq < NEW.seq;
        END
        """
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(f"DROP TRIGGER IF EXISTS {TRIGGER}")
