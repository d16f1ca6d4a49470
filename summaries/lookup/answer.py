"""Answer a ``/kpi`` request from stored figures and targets: only the KPI asked about is read.

The figures of one KPI (or of a derived KPI's inputs) for the departments in scope and the
months the comparison looks back on: a lookup stays quick however large the history grows.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy.orm import Session

from summaries.access import Viewer
from summaries.checkins.evaluation import first_month_needed
from summaries.config import schema as schema
from summaries.config.schema import Config
from summaries.digest.model import Trend, TrendSeries
from summaries.engine.cell import Cell
from summaries.engine.cells import Engine
from summaries.engine.figurebook import formulas_of, stored_inputs
from summaries.engine.report import ORGANIZATION, organization_cell, organization_engine
from summaries.lookup.kept import KeptMonth
from summaries.lookup.query import KpiQuery, Mode
from summaries.lookup.ranks import Rank, rank_cells, ranked_with, reach
from summaries.lookup.reads import read_figures, read_targets
from summaries.lookup.revised import revised_figures
from summaries.periods import Month, months_between

TREND_MONTHS = 12
MAX_ROWS = 60  # more lines than this do not fit one Slack message


@dataclass(frozen=True)
class LookupRow:
    """One department's (or the organization's, key ``*``) comparison for the month.

    ``revised``: when and by whom the figure last changed, if it changed after it was first
    given. A ranked row's cell carries its place among its siblings (``cell.rank``), and
    ``parent`` names the department they are under (None: the top level).
    """

    key: str
    name: str
    cell: Cell
    revised: tuple[datetime, str] | None = None
    parent: str | None = None


@dataclass(frozen=True)
class KpiAnswer:
    """A KPI for a month: a department in detail (``detail``: the first row) and the
    departments right below it; or, without a department, the top of what the viewer may
    see (the organization, or their own departments) and one level below. ``more`` counts
    the departments left out beyond :data:`MAX_ROWS`."""

    kpi: schema.Kpi
    month: Month
    mode: Mode  # month | ytd
    rows: list[LookupRow]
    detail: bool = False
    more: int = 0


@dataclass(frozen=True)
class TrendAnswer:
    """A KPI month by month for one department or the organization, oldest first."""

    kpi: schema.Kpi
    key: str
    name: str
    cells: list[Cell]

    @property
    def months(self) -> list[Month]:
        return [Month.parse(c.month) for c in self.cells]

    def trend(self) -> Trend:
        """The series the chart draws: actual against target."""
        return Trend(self.months, [TrendSeries(self.kpi, [c.actual for c in self.cells],
                                               [c.target for c in self.cells])])


def answer_query(session: Session, config: Config, viewer: Viewer, query: KpiQuery,
                 month: Month, kept: KeptMonth | None = None) -> KpiAnswer | TrendAnswer:
    """Compare the query's KPI for ``month`` (the query's own month wins); from ``kept``
    where it holds that month, and the query is not a trend."""
    kpi, department = query.kpi, query.department
    if kpi is None:
        raise ValueError("the list needs no figures")
    month = query.month or month
    rows = _scope(config, viewer, kpi, department)
    more, rows = max(0, len(rows) - MAX_ROWS), rows[:MAX_ROWS]
    ranked = (ranked_with(config, kpi, department, month)
              if query.mode == "month" and department is not None else [])
    if kept is not None and kept.month == month and query.mode != "trend":
        with kept.lock:
            found = [LookupRow(key, name, kept.cell(config, key, kpi)) for key, name in rows]
            ranks = rank_cells(kept.engine, config, kpi, month, ranked) if ranked else None
        return _answer(session, config, kpi, department, month, query.mode, found, ranks,
                       more)
    first = month.shift(1 - TREND_MONTHS) if query.mode == "trend" else month
    shown = {k for k, _ in rows if k != ORGANIZATION}
    if any(k == ORGANIZATION for k, _ in rows):  # its target adds up the top departments'
        shown |= {d.key for d in config.departments if d.parent_key is None}
    figured = _figure_departments(config, viewer, department)
    # The siblings' targets and figures, and those of every department below them.
    alongside = reach(config, ranked, month) if ranked else set()
    engine = _engine(session, config, kpi, figured, shown, first, month, alongside)
    if query.mode == "trend":
        key, name = rows[0]
        return TrendAnswer(kpi, key, name, [_cell(engine, config, key, kpi, m)
                                            for m in months_between(first, month)])
    found = [LookupRow(key, name, _cell(engine, config, key, kpi, month)) for key, name in rows]
    ranks = rank_cells(engine, config, kpi, month, ranked) if ranked else None
    return _answer(session, config, kpi, department, month, query.mode, found, ranks, more)


def _answer(session: Session, config: Config, kpi: schema.Kpi,
            department: schema.Department | None, month: Month, mode: Mode,
            found: list[LookupRow], ranks: dict[str, Rank] | None, more: int) -> KpiAnswer:
    """The answer from its rows' cells: who last revised a month's figures, and the places
    (``ranks``: None where the answer ranks nothing)."""
    if mode == "month":
        found = _revised(session, kpi, month, found)
    if ranks is not None:
        found = _ranked(config, department, month, found, ranks)
    return KpiAnswer(kpi, month, mode, found, detail=department is not None, more=more)


def _revised(session: Session, kpi: schema.Kpi, month: Month, rows: list[LookupRow]
             ) -> list[LookupRow]:
    """The rows with who last changed a figure changed after it was first given, and when."""
    revised = revised_figures(session, month, kpi.key,
                              [r.key for r in rows if r.key != ORGANIZATION])
    return [replace(r, revised=revised.get(r.key)) for r in rows]


def _ranked(config: Config, department: schema.Department | None, month: Month,
            rows: list[LookupRow], ranks: dict[str, Rank]) -> list[LookupRow]:
    """The rows with their places: the department's among its siblings (under its parent of
    that month), and those of the departments right below it."""
    assert department is not None
    for row in rows:
        row.cell.rank, row.cell.rank_of = ranks.get(row.key, (None, None))
    parent = department.parent_in(str(month))
    above = config.department_by_key[parent].name if parent is not None else None
    return [replace(r, parent=above if r.key == department.key else department.name)
            for r in rows]


def _scope(config: Config, viewer: Viewer, kpi: schema.Kpi,
           department: schema.Department | None) -> list[tuple[str, str]]:
    """(key, name) of what to show: the department and those right below it; else the
    organization (for leaders) or the viewer's own departments, and those right below."""
    if department is not None:
        tops = [(department.key, department.name)]
    elif viewer.sees_everything:
        tops = [(ORGANIZATION, config.organization.name)]
    else:
        tops = [(key, config.department_by_key[key].name) for key in viewer.managed]
    rows: list[tuple[str, str]] = []
    for key, name in tops:
        if key == ORGANIZATION or kpi.key in config.department_by_key[key].kpis:
            rows.append((key, name))
        below = [d for d in config.departments
                 if (d.parent_key or ORGANIZATION) == key and kpi.key in d.kpis]
        rows += [(d.key, d.name) for d in below]
    if not rows:  # the KPI is reported only further down: every visible department that does
        rows = [(d.key, d.name) for d in config.departments
                if viewer.may_see(d.key) and kpi.key in d.kpis]
    return list(dict.fromkeys(rows))


def _figure_departments(config: Config, viewer: Viewer,
                        department: schema.Department | None) -> Collection[str] | None:
    """The departments whose figures the answer reads (None: every one)."""
    if department is not None:
        return config.descendants(department.key)
    return None if viewer.sees_everything else viewer.visible


def _engine(session: Session, config: Config, kpi: schema.Kpi,
            departments: Collection[str] | None, shown: Collection[str],
            first: Month, last: Month, alongside: Collection[str] = ()) -> Engine:
    """An engine over the figures and targets that cells of ``first`` to ``last`` read.

    Figures go back as far as year-on-year and year-to-date look; monthly targets only as far
    as a red streak does, and only those of the ``shown`` departments and every department
    below them (a parent without its own adds up its children's). The departments
    ``alongside`` (ranked with them) are read as they are.
    """
    keys = stored_inputs(formulas_of(config.kpis), kpi.key) | {kpi.key}
    if departments is not None:
        departments = {*departments, *alongside}
    figures, sources = read_figures(session, first_month_needed(config, first), last, keys,
                                    departments)
    streak_start = first.shift(1 - config.rules.streak_months)
    # A parent without a target of its own has its children's (all the way down) added up.
    targets = read_targets(session, streak_start, last, config.organization.fiscal_year_start,
                           keys, reach(config, {*shown, *alongside}, last))
    return organization_engine(config, figures, sources, targets)


def _cell(engine: Engine, config: Config, key: str, kpi: schema.Kpi, month: Month) -> Cell:
    if key == ORGANIZATION:
        return organization_cell(engine, config, kpi, month)
    return engine.cell(key, kpi, month)
