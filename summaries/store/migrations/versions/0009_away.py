"""managers away with a deputy, and months marked nothing to report

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import summaries.store.types

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    moment = summaries.store.types.UtcDateTime(timezone=True)
    op.create_table(
        "away_periods",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("manager", sa.String(length=64), nullable=False),
        sa.Column("deputy", sa.String(length=64), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("set_by", sa.String(length=64), nullable=False),
        sa.Column("set_at", moment, nullable=False),
        sa.Column("ended_at", moment, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_away_periods")),
    )
    with op.batch_alter_table("away_periods", schema=None) as batch_op:
        batch_op.create_index("ix_away_periods_manager", ["manager", "first_day"], unique=False)
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("skip_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.drop_column("skip_reason")
    with op.batch_alter_table("away_periods", schema=None) as batch_op:
        batch_op.drop_index("ix_away_periods_manager")
    op.drop_table("away_periods")
