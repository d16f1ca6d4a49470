"""a month's evaluation kept per department, and the department stamps that say when each
department's result is current

Revision ID: 0013
Revises: 0012

The stamps' triggers are those of :mod:`summaries.store.deptstamps` (installed from there, so
a database migrated and one made from the models carry the same).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import summaries.store.types
from summaries.store import deptstamps

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "department_stamps",
        sa.Column("department_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("department_id", name=op.f("pk_department_stamps")),
    )
    op.create_table(
        "kept_results",
        sa.Column("period_key", sa.String(length=7), nullable=False),
        sa.Column("department", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("stamp", sa.BigInteger(), nullable=False),
        sa.Column("everyone", sa.BigInteger(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("made_at", summaries.store.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("period_key", "department", name=op.f("pk_kept_results")),
    )
    deptstamps.install(op.get_bind())  # last: its triggers are on the tables as they now are


def downgrade() -> None:
    deptstamps.uninstall(op.get_bind())
    op.drop_table("kept_results")
    op.drop_table("department_stamps")
