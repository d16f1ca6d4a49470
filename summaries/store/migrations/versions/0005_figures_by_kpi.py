"""an index for reading one KPI across every department (/kpi lookups and trends)

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_figures_kpi_period", "figures",
                    ["kpi_id", "period_id", "department_id", "value", "source"])


def downgrade() -> None:
    op.drop_index("ix_figures_kpi_period", table_name="figures")
