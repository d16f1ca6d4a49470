"""The rows of a month's export (SPEC section 10), shared by the CSV and XLSX writers: every
department's KPI rows and section texts, with their columns.

Numbers are plain decimals at full precision: no thousands separators, no % sign, never an
exponent; ratios (attainment, mom, yoy, ytd_share, pace_share) are fractions, ``1.495`` being
149.5%, except that a ``%`` KPI's mom and yoy are points in its own unit. Trailing zeros after
the decimal point are always dropped (``3.40`` is ``3.4``, ``2200000.00`` is ``2200000``), as
the database reads amounts back, so a value has one text whichever database and whichever
arithmetic produced it. No value is an empty cell.

Text cells (keys, names, titles, units, section texts) that a spreadsheet would take for a
formula are guarded; numbers, negative ones included, never are.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from summaries.config.schema import Kpi
from summaries.digest.model import Digest, KpiRow
from summaries.digest.text import STATUS_LABELS

KPI_COLUMNS: tuple[str, ...] = (
    "period", "department", "department_name", "kpi", "kpi_name", "unit", "actual", "target",
    "stretch", "attainment", "mom", "yoy", "ytd", "annual_plan", "ytd_share", "pace_share",
    "status", "source")
SECTION_COLUMNS: tuple[str, ...] = (
    "period", "department", "department_name", "section", "section_title", "status", "text")
# Columns holding a KPI's figures (its unit and decimals) and those holding plain ratios.
FIGURE_COLUMNS = frozenset({"actual", "target", "stretch", "ytd", "annual_plan"})
RATIO_COLUMNS = frozenset({"attainment", "mom", "yoy", "ytd_share", "pace_share"})
REVISION_COLUMNS: tuple[str, ...] = (
    "period", "department", "department_name", "field", "old_value", "new_value", "source",
    "changed_by", "changed_at")
# The changes, which for a % KPI are points in its own unit (1.64 for 1.76% to 3.40%).
POINT_COLUMNS = frozenset({"mom", "yoy"})
# A cell starting with one of these is read as a formula (or split into one) by spreadsheets.
RISKY_STARTS = ("=", "+", "-", "@", "\t", "\r")

Value = str | Decimal | None  # text, a number, or no value


def plain_decimal(value: Decimal) -> str:
    """``value`` in full as a plain decimal: no exponent, no trailing zeros, no ``-0``."""
    if not value.is_finite():
        raise ValueError(f"cannot export a non-finite number: {value}")
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def is_risky(text: str) -> bool:
    """Whether a spreadsheet would take ``text`` for a formula."""
    return text.startswith(RISKY_STARTS)


def guard_text(text: str) -> str:
    """``text`` with a leading single quote when a spreadsheet would take it for a formula."""
    return f"'{text}" if is_risky(text) else text


def csv_cell(value: Value) -> str:
    """One CSV cell: text guarded, a number plain, no value empty."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return plain_decimal(value)
    return guard_text(value)


def _kpi_values(digest: Digest, department_key: str, department_name: str,
                row: KpiRow) -> tuple[Value, ...]:
    """One department's KPI as the cells of :data:`KPI_COLUMNS`."""
    kpi, cell = row.kpi, row.cell
    return (str(digest.period), department_key, department_name, kpi.key, kpi.name, kpi.unit,
            cell.actual, cell.target, cell.stretch, cell.attainment, cell.mom, cell.yoy,
            cell.ytd, cell.annual_plan, cell.ytd_share, cell.pace_share, cell.status or "",
            (cell.source or "") if cell.actual is not None else "")


def kpi_rows(digest: Digest) -> Iterator[tuple[Kpi, tuple[Value, ...]]]:
    """Every department's KPIs in configuration order (derived KPIs and roll-up parents
    included), each with its KPI for the figures' decimals."""
    for department in digest.departments:
        for row in department.rows:
            yield row.kpi, _kpi_values(digest, department.key, department.name, row)


def section_rows(digest: Digest) -> Iterator[tuple[Value, ...]]:
    """Every department's non-empty section answers, as the cells of :data:`SECTION_COLUMNS`."""
    for department in digest.departments:
        status = STATUS_LABELS.get(department.status, department.status)
        for key, (title, text) in zip(department.section_keys, department.sections,
                                      strict=True):
            yield (str(digest.period), department.key, department.name, key, title, status,
                   text)


def revision_rows(digest: Digest) -> Iterator[tuple[Value, ...]]:
    """The revision trail of the month, oldest first; times in UTC, ISO 8601."""
    for row in digest.revisions:
        department = digest.department(row.department)
        name = department.name if department is not None else row.department
        yield (str(digest.period), row.department, name, row.field, row.old, row.new,
               row.source, row.changed_by, row.changed_at.isoformat(timespec="seconds"))
