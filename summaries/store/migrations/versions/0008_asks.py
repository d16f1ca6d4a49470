"""asks of leadership and their history

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import summaries.store.types

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    moment = summaries.store.types.UtcDateTime(timezone=True)
    op.create_table(
        "asks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("section_key", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("assignee", sa.String(length=64), nullable=True),
        sa.Column("created_at", moment, nullable=False),
        sa.Column("updated_at", moment, nullable=False),
        sa.ForeignKeyConstraint(["department_id"], ["departments.id"],
                                name=op.f("fk_asks_department_id_departments"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["period_id"], ["periods.id"],
                                name=op.f("fk_asks_period_id_periods"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asks")),
    )
    with op.batch_alter_table("asks", schema=None) as batch_op:
        batch_op.create_index("ix_asks_period_department", ["period_id", "department_id"],
                              unique=False)
        batch_op.create_index("ix_asks_state", ["state"], unique=False)
    op.create_table(
        "ask_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ask_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.Column("at", moment, nullable=False),
        sa.Column("from_state", sa.String(length=16), nullable=True),
        sa.Column("to_state", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("assignee", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["ask_id"], ["asks.id"],
                                name=op.f("fk_ask_events_ask_id_asks"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ask_events")),
    )
    with op.batch_alter_table("ask_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ask_events_ask_id"), ["ask_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ask_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ask_events_ask_id"))
    op.drop_table("ask_events")
    with op.batch_alter_table("asks", schema=None) as batch_op:
        batch_op.drop_index("ix_asks_state")
        batch_op.drop_index("ix_asks_period_department")
    op.drop_table("asks")
