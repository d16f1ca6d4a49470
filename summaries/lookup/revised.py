"""Which figures of a ``/kpi`` answer were changed after they were first given.

The digest reads a month's whole revision trail; a lookup reads only the trail of the KPI and
departments it shows (by the revisions' period and department index) and words it the same
way, through :func:`summaries.digest.load.figure_revisions`.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from summaries.digest.load import figure_revisions
from summaries.digest.model import RevisionRow
from summaries.periods import Month
from summaries.store.models import Department, Period, Revision

_REVISIONS = (
    select(Department.key, Revision.field, Revision.old_value, Revision.new_value,
           Revision.source, Revision.changed_by, Revision.changed_at)
    .join(Department, Revision.department_id == Department.id)
    .join(Period, Revision.period_id == Period.id)
    .where(Period.key == bindparam("month"),
           Department.key.in_(bindparam("departments", expanding=True)),
           Revision.field == bindparam("field"))
    .order_by(Revision.changed_at, Revision.id))  # built once: a lookup runs it as it is


def revised_figures(session: Session, month: Month, kpi: str, departments: Collection[str]
                    ) -> dict[str, tuple[datetime, str]]:
    """By department: when and by whom ``kpi``'s figure of ``month`` last changed, for the
    figures changed after they were first given."""
    if not departments:
        return {}
    rows = session.connection().execute(_REVISIONS, {
        "month": str(month), "departments": sorted(departments), "field": f"kpi:{kpi}"})
    revised = figure_revisions(RevisionRow(*row) for row in rows.tuples())
    return {department: when for (department, _), when in revised.items()}
