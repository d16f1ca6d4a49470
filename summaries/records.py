"""Write figures and section texts one value at a time, keeping a revision of every change."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from summaries.dbtypes import utcnow
from summaries.models import Figure, Period, Revision


def get_or_create_period(session: Session, key: str) -> Period:
    """The stored period ``YYYY-MM``, created (pending) on first use."""
    period = session.scalars(select(Period).where(Period.key == key)).first()
    if period is None:
        period = Period(key=key, state="pending", created_at=utcnow())
        session.add(period)
        session.flush()
    return period


def format_value(value: Decimal | None) -> str | None:
    """A figure as revision text: plain decimal notation, no exponent."""
    if value is None:
        return None
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def add_revision(session: Session, period_id: int, department_id: int, field: str,
                 old: str | None, new: str | None, by: str, source: str) -> None:
    """Keep who changed what, when, from which old value to which new one."""
    session.add(Revision(period_id=period_id, department_id=department_id, field=field,
                         old_value=old, new_value=new, changed_by=by, source=source,
                         changed_at=utcnow()))


def set_figure(session: Session, period_id: int, department_id: int, kpi_id: int, kpi_key: str,
               value: Decimal | None, *, by: str, source: str) -> bool:
    """Store (or clear, with None) one figure; add a revision and return True if it changed."""
    row = session.scalars(select(Figure).where(
        Figure.period_id == period_id, Figure.department_id == department_id,
        Figure.kpi_id == kpi_id)).first()
    old = row.value if row is not None else None
    if old == value and (row is None or row.source == source):
        return False
    if value is None:
        assert row is not None
        session.delete(row)
    elif row is None:
        session.add(Figure(period_id=period_id, department_id=department_id, kpi_id=kpi_id,
                           value=value, source=source, recorded_by=by, recorded_at=utcnow()))
    else:
        row.value, row.source, row.recorded_by, row.recorded_at = value, source, by, utcnow()
    if old != value:
        add_revision(session, period_id, department_id, f"kpi:{kpi_key}",
                     format_value(old), format_value(value), by, source)
    session.flush()
    return True
