"""rendered digests kept for reading again, the input stamp that says when they are current,
and the targets' index by KPI and department

Revision ID: 0011
Revises: 0010

The stamp's triggers are those of :mod:`summaries.store.stamps` (installed from there, so a
database migrated and one made from the models carry the same).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import summaries.store.types
from summaries.store import stamps

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "input_stamps",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_input_stamps")),
    )
    op.create_table(
        "stored_renderings",
        sa.Column("period_key", sa.String(length=7), nullable=False),
        sa.Column("form", sa.String(length=80), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("chart", sa.LargeBinary(), nullable=True),
        sa.Column("made_at", summaries.store.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("period_key", "form", name=op.f("pk_stored_renderings")),
    )
    _targets_index("kpi_id", "department_id", "kind")
    stamps.install(op.get_bind())  # last: its triggers are on the tables as they now are


def _targets_index(*columns: str) -> None:
    with op.batch_alter_table("targets", schema=None) as batch_op:
        batch_op.drop_index("ix_targets_lookup")
        batch_op.create_index("ix_targets_lookup", list(columns), unique=False)


def downgrade() -> None:
    stamps.uninstall(op.get_bind())
    _targets_index("kpi_id", "kind", "department_id")
    op.drop_table("stored_renderings")
    op.drop_table("input_stamps")
