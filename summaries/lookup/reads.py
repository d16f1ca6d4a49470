"""The reads of one ``/kpi`` answer, each a single statement built once per process.

A lookup reads a few dozen rows; what it cost was the way there: three small key lookups
(periods, departments, KPIs) before each of the figures and the targets, and every statement
built, and its cache key computed, anew on each request. Here each read is one statement that
joins the keys in the database, built at import (the lists of keys as one array parameter on
PostgreSQL, so the server keeps one plan; expanding parameters on SQLite), and run on the
session's connection without the ORM's per-statement work. The rows are those
:func:`summaries.checkins.evaluation.load_figures` and ``load_targets`` read, with the same
filters and amounts read the same way, so the answers are unchanged.
"""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal
from typing import Any

from sqlalchemy import Integer, and_, bindparam, or_, select, type_coerce
from sqlalchemy.orm import Session
from sqlalchemy.types import NullType

from summaries.engine.figurebook import FigureTable, SourceTable
from summaries.engine.targets import TargetRow
from summaries.periods import Month
from summaries.store.figures import AmountReader
from summaries.store.models import Department, Figure, Kpi, Period, Target
from summaries.store.probes import among, listed, takes_arrays


def _raw(column: Any) -> Any:
    """The column as the driver gives it: amounts are converted once per distinct value."""
    return type_coerce(column, NullType())


def _figures_statement(by_department: bool, arrays: bool) -> Any:
    """The figures by keys. The filters name ids chosen by subqueries, not the joined keys: so
    SQLite seeks the (KPI, month, department) index on all three with statistics or without,
    where over the joins, without statistics, it reads every month of the KPI; PostgreSQL
    seeks them too, given the ids as arrays (:mod:`summaries.store.probes`)."""
    query = (select(Department.key, Kpi.key, Period.key, _raw(Figure.value), Figure.source)
             .join_from(Figure, Kpi, Figure.kpi_id == Kpi.id)
             .join(Period, Figure.period_id == Period.id)
             .join(Department, Figure.department_id == Department.id)
             .where(among(Figure.kpi_id, select(Kpi.id).where(
                        listed(Kpi.key, "kpis", arrays))),
                    among(Figure.period_id, select(Period.id).where(
                        Period.key >= bindparam("first"), Period.key <= bindparam("last")))))
    if by_department:
        query = query.where(among(Figure.department_id, select(Department.id).where(
            listed(Department.key, "departments", arrays))))
    return query


def _targets_statement(by_department: bool, arrays: bool) -> Any:
    query = (select(Target.kind, Kpi.key, Department.key, Target.month, Target.year,
                    _raw(Target.value), _raw(Target.stretch), Target.phasing,
                    Target.recorded_at, Target.id)
             .join_from(Target, Kpi, Target.kpi_id == Kpi.id)
             .outerjoin(Department, Target.department_id == Department.id)
             .where(among(Target.kpi_id, select(Kpi.id).where(
                        listed(Kpi.key, "kpis", arrays))),
                    or_(Target.kind.in_(("max", "min")),
                        and_(Target.kind == "monthly", Target.month >= bindparam("first"),
                             Target.month <= bindparam("last")),
                        and_(Target.kind == "annual",
                             listed(Target.year, "years", arrays, Integer())))))
    if by_department:
        query = query.where(or_(Target.department_id.is_(None),
                                among(Target.department_id, select(Department.id).where(
                                    listed(Department.key, "departments", arrays)))))
    return query


# By (for some departments, on PostgreSQL).
_FIGURES = {(by, arrays): _figures_statement(by, arrays) for by in (False, True)
            for arrays in (False, True)}
_TARGETS = {(by, arrays): _targets_statement(by, arrays) for by in (False, True)
            for arrays in (False, True)}
# Newest first, stopping at the first month with figures: one index probe per month tried,
# where max() over the semi-join makes PostgreSQL scan every figure.
_LATEST = (select(Period.key)
           .where(Period.key <= bindparam("until"),
                  select(Figure.id).where(Figure.period_id == Period.id).exists())
           .order_by(Period.key.desc()).limit(1))


def latest_month(session: Session, until: Month) -> Month | None:
    """The latest month up to ``until`` that has any stored figure."""
    key = session.connection().execute(_LATEST, {"until": str(until)}).scalar()
    return Month.parse(key) if key else None


def read_figures(session: Session, first: Month, last: Month, kpis: Collection[str],
                 departments: Collection[str] | None) -> tuple[FigureTable, SourceTable]:
    """The figures of ``kpis`` from ``first`` to ``last`` by (department, KPI), then month, of
    ``departments`` (None: every one); and the source of those not submitted."""
    params: dict[str, Any] = {"kpis": sorted(kpis), "first": str(first), "last": str(last)}
    if departments is not None:
        params["departments"] = sorted(departments)
    connection = session.connection()
    rows = connection.execute(_FIGURES[departments is not None, takes_arrays(connection)], params)
    figures: dict[tuple[str, str], dict[str, Decimal]] = {}
    sources: dict[tuple[str, str, str], str] = {}
    amount_of = AmountReader()  # each distinct stored amount converted once
    # One string per distinct key and source, not one per row: the month kept for /kpi
    # holds every row it read, and the driver makes new strings for each.
    interned: dict[str, str] = {}
    one = interned.setdefault
    for dept, kpi, period, value, source in rows.all():  # one fetch, not one per row
        amount = amount_of(value)
        if amount is None:
            continue
        dept, kpi, period = one(dept, dept), one(kpi, kpi), one(period, period)
        figures.setdefault((dept, kpi), {})[period] = amount
        if source != "submitted":
            sources[(dept, kpi, period)] = one(source, source)
    return figures, sources


def read_targets(session: Session, first: Month, last: Month, fiscal_year_start: int,
                 kpis: Collection[str], departments: Collection[str] | None
                 ) -> tuple[TargetRow, ...]:
    """The targets of ``kpis`` that cells of ``first`` to ``last`` read: monthly targets of
    those months, annual plans of their fiscal years, every limit and floor; of
    ``departments`` (None: every one) and those set for every department."""
    years = list(range(first.fiscal_year(fiscal_year_start),
                       last.fiscal_year(fiscal_year_start) + 1))
    params: dict[str, Any] = {"kpis": sorted(kpis), "first": str(first), "last": str(last),
                              "years": years}
    if departments is not None:
        params["departments"] = sorted(departments)
    connection = session.connection()
    rows = connection.execute(_TARGETS[departments is not None, takes_arrays(connection)], params)
    interned: dict[Any, Any] = {}  # one string per distinct key, as for the figures
    one, amount = interned.setdefault, AmountReader().exact  # each distinct amount once
    return tuple(
        TargetRow(one(kind, kind), one(kpi, kpi), one(dept, dept), one(month, month), year,
                  amount(value), amount(stretch) if stretch is not None else None,
                  tuple(Decimal(w) for w in phasing) if phasing is not None else None,
                  recorded_at, order)
        for kind, kpi, dept, month, year, value, stretch, phasing, recorded_at, order
        in rows.all())
