"""Keep the stored flags of a period equal to what the engine found, without duplicates."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import Text, cast, insert, select
from sqlalchemy.orm import Session

from summaries.engine.flags import FlagSpec
from summaries.engine.problems import NOT_PROBLEMS
from summaries.periods import PeriodState
from summaries.store.figures import AmountReader, plain_rows
from summaries.store.models import Department, Flag, Period
from summaries.store.types import stored_text, utcnow


@dataclass(frozen=True)
class FlagChanges:
    """How many flags a store added, updated (new severity or facts) and removed."""

    added: int
    updated: int
    removed: int


def store_flags(session: Session, period_id: int, flags: Iterable[FlagSpec],
                departments: Collection[str]) -> FlagChanges:
    """Make the period's stored flags for ``departments`` exactly ``flags``.

    A flag is kept once per department, KPI, rule and subject: evaluating again updates its
    severity and facts, and a flag whose cause went away is removed.
    """
    ids: Mapping[str, int] = dict(session.execute(
        select(Department.key, Department.id).where(Department.key.in_(list(departments)))
    ).tuples().all())
    by_id = {v: k for k, v in ids.items()}
    stored = {(by_id[row.department_id], row.kpi_key, row.rule, row.subject): row
              for row in session.scalars(select(Flag).where(
                  Flag.period_id == period_id, Flag.department_id.in_(list(ids.values()))))}
    wanted = {f.identity: f for f in flags if f.department in ids}
    new: list[dict[str, object]] = []
    updated = 0
    now = utcnow()
    for identity, flag in wanted.items():
        row = stored.pop(identity, None)
        if row is None:
            new.append({"period_id": period_id, "department_id": ids[flag.department],
                        "kpi_key": flag.kpi, "rule": flag.rule, "subject": flag.subject,
                        "severity": flag.severity, "params": dict(flag.params),
                        "message": None, "gap": flag.gap, "created_at": now, "updated_at": now})
        elif (row.severity, row.params, row.message, row.gap) != (
                flag.severity, dict(flag.params), None, flag.gap):
            row.severity, row.params, row.gap = flag.severity, dict(flag.params), flag.gap
            row.message = None  # the facts say it now
            row.updated_at = now
            updated += 1
    for row in stored.values():
        session.delete(row)
    session.flush()
    if new:  # in one statement: a month's first evaluation adds thousands of flags at once
        session.execute(insert(Flag), new)
    return FlagChanges(len(new), updated, len(stored))


def stored_flags(session: Session, month: str, *, problems: bool = False
                 ) -> list[FlagSpec] | None:
    """The flags stored for ``month`` when it has closed (its flags are then what its digest
    said), or None: a month never closed here (imported history) has none to go by. With
    ``problems``, only the flags that make problems (of a KPI, by a rule that does)."""
    period = session.scalar(select(Period).where(Period.key == month))
    if period is None or period.state != PeriodState.CLOSED:
        return None
    # As plain rows (a month holds thousands): the facts' JSON and the gap read as text here.
    rows = plain_rows(session, select(
        Department.key, Flag.kpi_key, Flag.rule, Flag.severity, cast(Flag.params, Text),
        Flag.subject, stored_text(Flag.gap), Flag.message)
        .join(Department, Department.id == Flag.department_id)
        .where(Flag.period_id == period.id,
               *((Flag.kpi_key != "", Flag.rule.not_in(sorted(NOT_PROBLEMS)))
                 if problems else ())))
    amount = AmountReader().exact
    return [FlagSpec(dept, kpi, rule, severity, (json.loads(params) if params else None) or {},
                     subject,
                     None if gap is None else amount(gap), sentence=message)
            for dept, kpi, rule, severity, params, subject, gap, message in rows]
