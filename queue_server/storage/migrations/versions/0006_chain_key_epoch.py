"""the event chain's key epoch (docs/reliability.md, "Tamper evidence")

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02

Halls get the sequence number from which their chain hashes are keyed, and the epoch's seal.
Both stay empty until a keyed server first writes to the hall (queue_server.services.event_log).
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("halls") as batch:
        batch.add_column(sa.Column("chain_keyed_from", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("chain_epoch_seal", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("halls") as batch:
        batch.drop_column("chain_epoch_seal")
        batch.drop_column("chain_keyed_from")
