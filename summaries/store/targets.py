"""Dated targets: record without duplicating, and find the one in force."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, insert, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from summaries.store.models import Target
from summaries.store.types import utcnow

KINDS = ("monthly", "annual", "max", "min")


@dataclass(frozen=True)
class TargetValue:
    """What a target row says, independent of when or from where it was recorded."""

    kind: str
    kpi_id: int
    department_id: int | None
    month: str | None
    year: int | None
    value: Decimal
    stretch: Decimal | None = None
    phasing: tuple[Decimal, ...] | None = None

    @property
    def identity(self) -> Identity:
        """What a later row replaces: kind, KPI, department, month and year."""
        return self.kind, self.kpi_id, self.department_id, self.month, self.year

    def same_as(self, row: Target | Stored) -> bool:
        phasing = tuple(Decimal(w) for w in row.phasing) if row.phasing is not None else None
        return (row.value == self.value and row.stretch == self.stretch
                and phasing == self.phasing)


Identity = tuple[str, int, int | None, str | None, int | None]


@dataclass(frozen=True)
class Stored:
    """A stored row's values, as an import compares them (no ORM object per row)."""

    value: Decimal
    stretch: Decimal | None
    phasing: list[str] | None


def latest_stored(session: Session, kpi_ids: Collection[int]) -> dict[Identity, Stored]:
    """The latest row of every identity of ``kpi_ids``' targets, in one set-based read (an
    import of thousands of rows asks once, not once per row)."""
    query = (select(Target.kind, Target.kpi_id, Target.department_id, Target.month,
                    Target.year, Target.value, Target.stretch, Target.phasing)
             .where(Target.kpi_id.in_(sorted(kpi_ids)))
             .order_by(Target.recorded_at, Target.id))
    return {(kind, kpi, department, month, year): Stored(value, stretch, phasing)
            for kind, kpi, department, month, year, value, stretch, phasing
            in session.execute(query).tuples()}


def add_targets(session: Session, wanted: Sequence[TargetValue], source: str) -> None:
    """Add a row for each of ``wanted`` in one batched insert, all recorded at one moment."""
    if not wanted:
        return
    now = utcnow()
    session.execute(insert(Target), [
        {"kind": w.kind, "kpi_id": w.kpi_id, "department_id": w.department_id,
         "month": w.month, "year": w.year, "value": w.value, "stretch": w.stretch,
         "phasing": [str(x) for x in w.phasing] if w.phasing is not None else None,
         "source": source, "recorded_at": now} for w in wanted])


def latest_row(session: Session, wanted: TargetValue, source: str | None = None) -> Target | None:
    """The most recent row for the same kind, KPI, department and month or year.

    With ``source``, only rows recorded from that source count.
    """
    query = select(Target).where(
        Target.kind == wanted.kind,
        Target.kpi_id == wanted.kpi_id,
        _is(Target.department_id, wanted.department_id),
        _is(Target.month, wanted.month),
        _is(Target.year, wanted.year),
    )
    if source is not None:
        query = query.where(Target.source == source)
    query = query.order_by(Target.recorded_at.desc(), Target.id.desc()).limit(1)
    return session.scalars(query).first()


def record_target(session: Session, wanted: TargetValue, source: str) -> Target | None:
    """Add a row unless the latest one already says the same; return the new row, if any.

    The configuration file is compared only with what it said before, so re-reading an
    unchanged file never undoes a target imported from CSV since.
    """
    current = latest_row(session, wanted, source="config" if source == "config" else None)
    if current is not None and wanted.same_as(current):
        return None
    row = Target(
        kind=wanted.kind, kpi_id=wanted.kpi_id, department_id=wanted.department_id,
        month=wanted.month, year=wanted.year, value=wanted.value, stretch=wanted.stretch,
        phasing=[str(w) for w in wanted.phasing] if wanted.phasing is not None else None,
        source=source, recorded_at=utcnow(),
    )
    session.add(row)
    session.flush()
    return row


def _is(column: InstrumentedAttribute[Any], value: object) -> ColumnElement[bool]:
    return column.is_(None) if value is None else column == value
