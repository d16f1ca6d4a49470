"""Write figures and section texts one value at a time, keeping a revision of every change."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from summaries.numbers import INTEGER_DIGITS
from summaries.periods import PeriodState
from summaries.store.models import Department, Figure, Period, Revision
from summaries.store.types import read_amount, read_stored, utcnow


def get_or_create_period(session: Session, key: str, now: datetime | None = None) -> Period:
    """The stored period ``YYYY-MM``, created (pending, at ``now``) on first use."""
    found = select(Period).where(Period.key == key)
    period = session.scalars(found).first()
    if period is not None:
        return period
    try:
        with session.begin_nested():  # another process may create it at the same moment
            period = Period(key=key, state=PeriodState.PENDING, created_at=now or utcnow())
            session.add(period)
    except IntegrityError:
        return session.scalars(found).one()
    return period


def revision_count(session: Session, period_id: int, department_key: str) -> int:
    """How many changes a department's summary for a period has had (a version number)."""
    return session.scalar(
        select(func.count(Revision.id))
        .join(Department, Revision.department_id == Department.id)
        .where(Revision.period_id == period_id, Department.key == department_key)) or 0


def revisions_in(session: Session, month: str) -> list[tuple[str, str, str | None,
                                                              str | None, str, str, datetime]]:
    """Every change to a month's summaries and figures, oldest first: department key, field,
    old and new value, source, who, when."""
    rows = session.execute(
        select(Department.key, Revision.field, Revision.old_value, Revision.new_value,
               Revision.source, Revision.changed_by, Revision.changed_at)
        .join(Department, Revision.department_id == Department.id)
        .join(Period, Revision.period_id == Period.id)
        .where(Period.key == month).order_by(Revision.changed_at, Revision.id))
    return list(rows.tuples().all())


def format_value(value: Decimal | None) -> str | None:
    """A figure as revision text: plain decimal notation, no exponent."""
    if value is None:
        return None
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def add_revision(session: Session, period_id: int, department_id: int, field: str,
                 old: str | None, new: str | None, by: str, source: str,
                 now: datetime | None = None) -> None:
    """Keep who changed what, when (``now``), from which old value to which new one."""
    session.add(Revision(period_id=period_id, department_id=department_id, field=field,
                         old_value=old, new_value=new, changed_by=by, source=source,
                         changed_at=now or utcnow()))


@dataclass(frozen=True)
class FigureValue:
    """One figure to store: where it belongs and its value (None clears it)."""

    period_id: int
    department_id: int
    kpi_id: int
    kpi_key: str
    value: Decimal | None


def set_figures(session: Session, figures: Sequence[FigureValue], *, by: str,
                source: str, now: datetime | None = None) -> list[FigureValue]:
    """Store (or clear) many figures with one read of what is stored; return those changed.

    Every changed value gets a revision; an equal value with another source only takes the
    new source (an imported figure confirmed by a submission), without a revision.
    """
    if not figures:
        return []
    rows = session.scalars(select(Figure).where(
        Figure.period_id.in_({f.period_id for f in figures}),
        Figure.department_id.in_({f.department_id for f in figures}))).all()
    stored = {(r.period_id, r.department_id, r.kpi_id): r for r in rows}
    changed = []
    now = now or utcnow()  # one moment for every figure and revision of this change
    for figure in figures:
        key = (figure.period_id, figure.department_id, figure.kpi_id)
        row = stored.get(key)
        if _apply(session, figure, row, stored, by=by, source=source, now=now):
            changed.append(figure)
    session.flush()
    return changed


def _apply(session: Session, figure: FigureValue, row: Figure | None,
           stored: dict[tuple[int, int, int], Figure], *, by: str, source: str,
           now: datetime) -> bool:
    old = row.value if row is not None else None
    value = figure.value
    if old == value and (row is None or row.source == source):
        return False
    key = (figure.period_id, figure.department_id, figure.kpi_id)
    if value is None:
        assert row is not None
        session.delete(row)
        del stored[key]
    elif row is None:
        stored[key] = Figure(period_id=figure.period_id, department_id=figure.department_id,
                             kpi_id=figure.kpi_id, value=value, source=source, recorded_by=by,
                             recorded_at=now)
        session.add(stored[key])
    else:
        row.value, row.source, row.recorded_by, row.recorded_at = value, source, by, now
    if old != value:
        add_revision(session, figure.period_id, figure.department_id, f"kpi:{figure.kpi_key}",
                     format_value(old), format_value(value), by, source, now)
    return True


def set_figure(session: Session, period_id: int, department_id: int, kpi_id: int, kpi_key: str,
               value: Decimal | None, *, by: str, source: str) -> bool:
    """Store (or clear, with None) one figure; add a revision and return True if it changed."""
    figure = FigureValue(period_id, department_id, kpi_id, kpi_key, value)
    return bool(set_figures(session, [figure], by=by, source=source))


def plain_rows(session: Session, query: Select[Any]) -> list[tuple[Any, ...]]:
    """The rows of ``query`` as the driver's own tuples: no Row object and no type processing
    per row (a month at scale reads hundreds of thousands; building Rows cost more than the
    query). Only for queries whose columns need no conversion, or are converted by the
    caller. Pending changes are flushed first, as ``session.execute`` would."""
    if session.autoflush:
        session.flush()
    result = session.connection().execute(query)
    try:
        return list(result.cursor.fetchall()) if result.cursor is not None else []
    finally:
        result.close()


class AmountReader:
    """Stored amounts to Decimal as :func:`read_stored` reads them (:meth:`exact`: as
    ``read_amount`` does, with no bound checked), each distinct stored value once.

    Figures repeat (rates with one decimal, round targets), and the common shape, a whole
    number, needs no normalizing: only the others take the general path.
    """

    def __init__(self) -> None:
        self._seen: dict[object, Decimal | None] = {}
        self._exact: dict[object, Decimal] = {}

    def __call__(self, value: object) -> Decimal | None:
        found = self._seen.get(value, _UNSEEN)
        if found is _UNSEEN:
            found = self._seen[value] = _whole(value) or read_stored(value)
        return found  # type: ignore[return-value]

    def exact(self, value: object) -> Decimal:
        found = self._exact.get(value)
        if found is None:
            found = self._exact[value] = _whole(value) or read_amount(value)
        return found


def _whole(value: object) -> Decimal | None:
    """A stored whole number within the column's bounds (by its length), else None."""
    if isinstance(value, str) and len(value) <= INTEGER_DIGITS and value.isdigit() \
            and value.isascii():
        return Decimal(value)
    return None


_UNSEEN = object()
