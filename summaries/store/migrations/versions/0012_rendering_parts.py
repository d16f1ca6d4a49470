"""a kept rendering says where each department's part sits in it, for reuse by the next

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("stored_renderings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parts", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("stored_renderings", schema=None) as batch_op:
        batch_op.drop_column("parts")
