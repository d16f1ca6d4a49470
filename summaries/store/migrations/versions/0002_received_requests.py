"""received Slack requests, so repeats have one effect

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import summaries.store.types

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "received_requests",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("received_at", summaries.store.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_received_requests")),
    )
    with op.batch_alter_table("received_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_received_requests_received_at"), ["received_at"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("received_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_received_requests_received_at"))
    op.drop_table("received_requests")
