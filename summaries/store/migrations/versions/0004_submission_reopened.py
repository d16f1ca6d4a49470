"""an admin may reopen a department's summary after the late window

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import summaries.store.types

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reopened_until",
                                      summaries.store.types.UtcDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("reopened_by", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.drop_column("reopened_by")
        batch_op.drop_column("reopened_until")
