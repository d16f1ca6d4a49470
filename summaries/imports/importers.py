"""CSV imports of figures and targets: validate every row, then write all or nothing.

Both read a long-format CSV file (SPEC sections 3 and 10), collect every problem as
``FILE:LINE: column: message`` and raise InputError before writing anything; else they write and
report each change (``dry_run``: read only). They flush and never commit.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from summaries.config.schema import Config
from summaries.errors import InputError
from summaries.i18n import N_, _
from summaries.imports import csvrows
from summaries.imports.csvrows import WHAT, Cells, Source, Table
from summaries.imports.report import ImportChange, ImportReport
from summaries.store.catalog import Catalog, load_catalog
from summaries.store.db import gather_statistics
from summaries.store.figures import FigureValue, get_or_create_period, set_figures
from summaries.store.models import Figure, Period
from summaries.store.targets import Stored, TargetValue, add_targets, latest_stored

FIGURE_COLUMNS = ("kpi", "department", "month", "value")
VALUE_COLUMNS = ("target", "annual", "max", "min")  # the one filled in decides a row's kind
TARGET_COLUMNS = ("kpi", "department", "month", "year", "target", "stretch", "annual",
                  "phasing", "max", "min", "from")
_KIND = {"target": "monthly", "annual": "annual", "max": "max", "min": "min"}
_BELONGS = {"month": ("monthly",), "stretch": ("monthly",), "year": ("annual",),
            "phasing": ("annual",), "from": ("annual", "max", "min")}
# What a column that a row's kind does not take goes with, by the kinds that take it.
_GOES_WITH = {("monthly",): N_("goes with a monthly target, not with {what}"),
              ("annual",): N_("goes with an annual plan, not with {what}"),
              ("annual", "max", "min"): N_("goes with an annual plan, a control limit (max) or "
                                           "a floor (min), not with {what}")}
# A row's subject in the report, by kind; the second when it names its first month (from).
_SUBJECTS = {"monthly": (N_("target {kpi} {department} {month}"),) * 2,
             "annual": (N_("annual {kpi} {department} {year}"),
                        N_("annual {kpi} {department} {year} from {month}")),
             "max": (N_("max {kpi} {department}"), N_("max {kpi} {department} from {month}")),
             "min": (N_("min {kpi} {department}"), N_("min {kpi} {department} from {month}"))}


@dataclass(frozen=True)
class _FigureRow:
    line: int
    kpi: str
    department: str
    month: str
    value: Decimal


@dataclass(frozen=True)
class _TargetRow:
    line: int
    kpi: str
    department: str | None  # None: every department (limits and floors)
    kind: str
    month: str | None  # the target's month, or a limit's first month in force
    year: int | None
    value: Decimal
    stretch: Decimal | None
    phasing: tuple[Decimal, ...] | None

    def stored(self, catalog: Catalog) -> TargetValue:
        dept = catalog.department_ids[self.department] if self.department else None
        return TargetValue(self.kind, catalog.kpi_ids[self.kpi], dept, self.month, self.year,
                           self.value, self.stretch, self.phasing)

    def subject(self) -> str:
        return _(_SUBJECTS[self.kind][bool(self.month)], kpi=self.kpi, month=self.month,
                 department=self.department or _("every department"), year=self.year)


def import_figures(session: Session, config: Config, path_or_text: Source, *,
                   filename: str | None = None, by: str | None = None,
                   dry_run: bool = False) -> ImportReport:
    """Import ``kpi,department,month,value`` rows as imported figures, keeping revisions.

    ``path_or_text`` is a file (Path), its bytes, or its text (str). Problems and the report
    name ``filename`` (default: the file's name); changes are recorded as made by ``by``
    (default ``import:<filename>``). A value equal to the stored one is left alone, whatever
    its source, so a submitted figure stays marked as submitted.
    """
    name = csvrows.display_name(path_or_text, filename)
    table = _read(path_or_text, name, FIGURE_COLUMNS, ())
    seen: dict[Hashable, int] = {}
    rows = [r for row in table.rows if (r := _figure_row(Cells(table, row), config, seen))]
    report = ImportReport(name, dry_run, rows=len(table.rows))
    todo: list[tuple[_FigureRow, int, int]] = []
    with session.no_autoflush:
        catalog = _catalog(session, table, rows)
        stored = _stored_figures(session, {r.month for r in rows})
        for row in rows:
            dept_id, kpi_id = catalog.department_ids[row.department], catalog.kpi_ids[row.kpi]
            old = stored.get((row.month, dept_id, kpi_id))
            if old is not None and old == row.value:
                report.unchanged += 1
                continue
            subject = f"{row.kpi} {row.department} {row.month}"  # keys and month: no words
            report.changes.append(ImportChange(row.line, subject, None if old is None
                                               else csvrows.plain(old), csvrows.plain(row.value)))
            todo.append((row, dept_id, kpi_id))
            report.touched.add((row.month, row.department))
    if not dry_run:
        writer = (by or f"import:{name}")[:200]
        periods = {month: get_or_create_period(session, month).id
                   for month in sorted({row.month for row, _dept, _kpi in todo})}
        set_figures(session, [FigureValue(periods[row.month], dept_id, kpi_id, row.kpi, row.value)
                              for row, dept_id, kpi_id in todo], by=writer, source="imported")
        if todo:  # the planner reads /kpi's and the digest's queries by these statistics
            gather_statistics(session, ("periods", "figures", "revisions"))
    return report


def import_targets(session: Session, config: Config, path_or_text: Source, *,
                   filename: str | None = None, by: str | None = None,
                   dry_run: bool = False) -> ImportReport:
    """Import monthly targets, annual plans, control limits and floors, in any mix.

    A row is a monthly target (``month,target`` and an optional ``stretch``), an annual plan
    (``year,annual`` and optional ``phasing``), a control limit (``max``) or a floor (``min``),
    the last two with an optional ``from`` month and an empty department meaning every
    department. Targets are dated rows with source ``csv``; a row equal to the latest stored
    one for its kind, KPI, department and month or year is unchanged. ``by`` is accepted for
    symmetry with import_figures: target rows do not record who set them.
    """
    name = csvrows.display_name(path_or_text, filename)
    table = _read(path_or_text, name, ("kpi", "department"), TARGET_COLUMNS[2:])
    seen: dict[Hashable, int] = {}
    rows = [r for row in table.rows if (r := _target_row(Cells(table, row), config, seen))]
    report = ImportReport(name, dry_run, rows=len(table.rows))
    todo: list[TargetValue] = []
    with session.no_autoflush:
        catalog = _catalog(session, table, rows)
        wanted_rows = [(row, row.stored(catalog)) for row in rows]
        latest = latest_stored(session, {wanted.kpi_id for _row, wanted in wanted_rows})
        for row, wanted in wanted_rows:
            current = latest.get(wanted.identity)
            if current is not None and wanted.same_as(current):
                report.unchanged += 1
                continue
            old = _stored_text(current) if current is not None else None
            report.changes.append(ImportChange(row.line, row.subject(), old, _target_text(
                wanted.value, wanted.stretch, wanted.phasing)))
            todo.append(wanted)
    if not dry_run:
        add_targets(session, todo, source="csv")
        if todo:
            gather_statistics(session, ("targets",))
    return report


def _read(source: Source, name: str, required: Sequence[str],
          optional: Sequence[str]) -> Table:
    """The file's table; raise InputError at once if the header lacks a needed column."""
    table = csvrows.read_table(csvrows.read_text(source, name), name, required, optional)
    if optional and table.columns:
        _check_target_header(table)
    if table.missing:
        raise InputError(table.problems)
    return table


def _check_target_header(table: Table) -> None:
    columns, line = set(table.columns), table.header_line
    if not columns & set(VALUE_COLUMNS):
        table.fail(line, "", _("no value column: the header needs one of target, annual, max "
                               "or min"))
        table.missing.append("target")
    for column, needed in (("target", "month"), ("annual", "year")):
        if column in columns and needed not in columns:
            table.fail(line, needed, _("missing column: {column} needs {needed}",
                                       column=column, needed=needed))
            table.missing.append(needed)
    for column, partners, message in (
            ("stretch", {"target"}, N_("goes with a target column, which the header lacks")),
            ("phasing", {"annual"}, N_("goes with an annual column, which the header lacks")),
            ("from", {"max", "min"}, N_("goes with a max or min column, which the header "
                                        "lacks"))):
        if column in columns and not columns & partners:
            table.fail(line, column, _(message))
            table.missing.append(column)


def _figure_row(cells: Cells, config: Config, seen: dict[Hashable, int]) -> _FigureRow | None:
    kpi = cells.kpi(config, importable=True)
    dept = cells.department(config, kpi, "")
    month = cells.month("month", required=True)
    value = cells.number("value", required=True)
    if value is not None and kpi is not None:
        cells.precise("value", value, kpi)
        cells.in_range("value", value, kpi)
    if kpi is not None and dept is not None and cells.ok and (
            kpi.key in config.from_children(config.department_by_key[dept])):
        cells.fail("department", _("{department}'s {kpi} is the sum of the departments below "
                                   "it; import their figures (or give it own_figures: true)",
                                   department=dept, kpi=kpi.key))
    if not (cells.ok and kpi and dept and month and value is not None):
        return None
    if not cells.unique(seen, (kpi.key, dept, month)):
        return None
    return _FigureRow(cells.row.line, kpi.key, dept, month, value)


def _target_row(cells: Cells, config: Config, seen: dict[Hashable, int]) -> _TargetRow | None:
    kpi = cells.kpi(config, importable=False)
    filled = [c for c in VALUE_COLUMNS if cells.row.get(c)]
    kind = _KIND[filled[0]] if filled else ""
    dept = cells.department(config, kpi, kind)
    if len(filled) != 1:
        for extra in filled[1:]:
            cells.fail(extra, _("this row already has {column}: put each kind of target on "
                                "its own row", column=filled[0]))
        if not filled:
            cells.fail("", _("no value: fill in one of target, annual, max or min"))
        return None
    for column, kinds in _BELONGS.items():
        if cells.row.get(column) and kind not in kinds:
            message = N_("goes with a monthly target, not with {what}; use from for the first "
                         "month in force") if column == "month" and kind in (
                "max", "min") else _GOES_WITH[kinds]
            cells.fail(column, _(message, what=_(WHAT[kind])))
    value = cells.number(filled[0], required=True)
    if value is not None and kpi is not None:
        # an annual plan of a summed KPI is twelve months' worth: only a floor of 0 applies
        summed = kind == "annual" and kpi.accumulate == "sum" and not kpi.formula
        if not summed or (kpi.min is not None and kpi.min >= 0):
            cells.in_range(filled[0], value, kpi, upper=not summed)
    stretch = cells.number("stretch") if kind == "monthly" else None
    if stretch is not None and kpi is not None:
        cells.in_range("stretch", stretch, kpi)
    month = (cells.month("month", required=True) if kind == "monthly"
             else cells.month("from") if kind in ("max", "min", "annual") else None)
    year = cells.year("year", required=True) if kind == "annual" else None
    phasing = cells.weights("phasing") if kind == "annual" else None
    if not cells.ok or kpi is None or value is None:
        return None
    if not cells.unique(seen, (kind, kpi.key, dept, month, year)):
        return None
    return _TargetRow(cells.row.line, kpi.key, dept, kind, month, year, value, stretch, phasing)


def _catalog(session: Session, table: Table, rows: Sequence[_FigureRow | _TargetRow]
             ) -> Catalog:
    """Stored ids of the rows' KPIs and departments; raise InputError for any problem."""
    catalog = load_catalog(session)
    for row in rows:
        for column, key, ids in (("kpi", row.kpi, catalog.kpi_ids),
                                 ("department", row.department, catalog.department_ids)):
            if key is not None and key not in ids:
                table.fail(row.line, column, _(
                    "{key} is not in the database yet: sync the configuration first (start the "
                    "bot once)", key=repr(key)))
    if table.problems:
        raise InputError(table.problems)
    return catalog


def _stored_figures(session: Session, months: set[str]) -> dict[tuple[str, int, int], Decimal]:
    """Stored values by (month, department id, KPI id) for the given months."""
    if not months:
        return {}
    query = (select(Period.key, Figure.department_id, Figure.kpi_id, Figure.value)
             .join(Period, Figure.period_id == Period.id).where(Period.key.in_(sorted(months))))
    return {(p, d, k): v for p, d, k, v in session.execute(query).tuples()}


def _stored_text(row: Stored) -> str:
    return _target_text(row.value, row.stretch, row.phasing)


def _target_text(value: Decimal, stretch: Decimal | None,
                 phasing: Sequence[Decimal | str] | None) -> str:
    text = csvrows.plain(value)
    if stretch is not None:
        text = _("{value} stretch {stretch}", value=text, stretch=csvrows.plain(stretch))
    if phasing is not None:
        text = _("{value} phasing {phasing}", value=text,
                 phasing=";".join(csvrows.plain(Decimal(w)) for w in phasing))
    return text
