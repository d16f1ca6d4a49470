"""Which figures of a ``/kpi`` answer were changed after they were first given.

The digest reads a month's whole revision trail; a lookup reads only the trail of the KPI and
departments it shows (by the revisions' period and department index) and words it the same
way, through :func:`summaries.digest.load.figure_revisions`.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from summaries.digest.load import figure_revisions
from summaries.digest.model import RevisionRow
from summaries.periods import Month
from summaries.store.models import Department, Period, Revision
from summaries.store.probes import listed, takes_arrays


def _revisions(arrays: bool) -> Any:
    return (select(Department.key, Revision.field, Revision.old_value, Revision.new_value,
                   Revision.source, Revision.changed_by, Revision.changed_at)
            .join(Department, Revision.department_id == Department.id)
            .join(Period, Revision.period_id == Period.id)
            .where(Period.key == bindparam("month"),
                   listed(Department.key, "departments", arrays),
                   Revision.field == bindparam("field"))
            .order_by(Revision.changed_at, Revision.id))


# Built once (with an array of departments on PostgreSQL): a lookup runs it as it is.
_REVISIONS = {arrays: _revisions(arrays) for arrays in (False, True)}


def revised_figures(session: Session, month: Month, kpi: str, departments: Collection[str]
                    ) -> dict[str, tuple[datetime, str]]:
    """By department: when and by whom ``kpi``'s figure of ``month`` last changed, for the
    figures changed after they were first given."""
    if not departments:
        return {}
    connection = session.connection()
    rows = connection.execute(_REVISIONS[takes_arrays(connection)], {
        "month": str(month), "departments": sorted(departments), "field": f"kpi:{kpi}"})
    revised = figure_revisions(RevisionRow(*row) for row in rows.tuples())
    return {department: when for (department, _), when in revised.items()}
