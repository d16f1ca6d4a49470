"""The XLSX export: the KPI rows on a sheet "KPIs", the section texts on a sheet "Sections",
any further sheets the export adds (the asks of leadership and their history), and the
revision trail, formatted for reading (bold frozen header, filters, widths, numbers as
numbers, text never taken for a formula)."""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import xlsxwriter  # type: ignore[import-untyped]

from summaries.config.schema import Kpi
from summaries.digest.model import Digest
from summaries.digest.rows import (
    FIGURE_COLUMNS,
    KPI_COLUMNS,
    POINT_COLUMNS,
    RATIO_COLUMNS,
    REVISION_COLUMNS,
    SECTION_COLUMNS,
    Value,
    is_risky,
    kpi_rows,
    plain_decimal,
    revision_rows,
    section_rows,
)
from summaries.formatting import format_number, format_ratio

RATIO_FORMAT = "0.0%"
MIN_WIDTH, MAX_WIDTH, TEXT_WIDTH = 6, 40, 80
# Nothing a cell holds may turn into a formula, a link or a number on the way in.
WORKBOOK_OPTIONS = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                    "strings_to_numbers": False}


@dataclass(frozen=True)
class Sheet:
    """A sheet of plain rows: its name, columns, rows, and the columns of long text that
    wrap."""

    name: str
    columns: Sequence[str]
    rows: Sequence[Sequence[Value]]
    wrapped: frozenset[str] = frozenset()


def figure_format(decimals: int) -> str:
    """The number format of a KPI's figures: ``#,##0`` or ``#,##0.00`` for two decimals."""
    return "#,##0" + ("." + "0" * decimals if decimals else "")


class _Formats:
    """The workbook's cell formats, each added once."""

    def __init__(self, workbook: Any) -> None:
        self._workbook = workbook
        self._made: dict[tuple[tuple[str, Any], ...], Any] = {}

    def get(self, **properties: Any) -> Any:
        """The format with ``properties`` (xlsxwriter's names), or None for the default."""
        if not properties:
            return None
        key = tuple(sorted(properties.items()))
        if key not in self._made:
            self._made[key] = self._workbook.add_format(properties)
        return self._made[key]


def _number_format(column: str, kpi: Kpi | None) -> str | None:
    """Ratios as percentages; a KPI's figures grouped, with its decimals; a ``%`` KPI's
    changes are points, in its own unit."""
    if kpi is not None and kpi.is_percent and column in POINT_COLUMNS:
        return figure_format(kpi.decimals)
    if column in RATIO_COLUMNS:
        return RATIO_FORMAT
    if kpi is not None and column in FIGURE_COLUMNS:
        return figure_format(kpi.decimals)
    return None


def _shown_width(column: str, value: Value, kpi: Kpi | None) -> int:
    """About how many characters the cell shows, for its column's width."""
    if value is None:
        return 0
    if not isinstance(value, Decimal):
        return max((len(line) for line in value.splitlines()), default=0)
    if column in RATIO_COLUMNS and not (kpi is not None and kpi.is_percent
                                        and column in POINT_COLUMNS):
        return len(format_ratio(value))
    return len(format_number(value, kpi.decimals if kpi else 0))


def _write_cell(sheet: Any, formats: _Formats, at: tuple[int, int], value: Value, *,
                number_format: str | None = None, wrap: bool = False) -> None:
    """A number as a number, text as text (quote-prefixed when risky), no value as blank."""
    row, col = at
    if isinstance(value, Decimal):
        number = float(value)
        if math.isfinite(number):
            sheet.write_number(row, col, number, formats.get(
                **({"num_format": number_format} if number_format else {})))
            return
        value = plain_decimal(value)  # beyond Excel's range: the digits, as text
    if not value:  # no value: an empty cell
        return
    properties: dict[str, Any] = {"text_wrap": True, "valign": "top"} if wrap else {}
    if is_risky(value):
        properties["quote_prefix"] = True  # Excel keeps it as text when the cell is edited
    sheet.write_string(row, col, value, formats.get(**properties))


def _write_sheet(workbook: Any, formats: _Formats, name: str, columns: Sequence[str],
                 rows: Iterable[tuple[Kpi | None, Sequence[Value]]],
                 wrapped: frozenset[str] = frozenset()) -> None:
    """One sheet: a bold frozen header with filters, the rows, widths fitted to the content."""
    sheet = workbook.add_worksheet(name)
    header = formats.get(bold=True)
    widths = [len(column) for column in columns]
    for col, column in enumerate(columns):
        sheet.write_string(0, col, column, header)
    count = 0
    for count, (kpi, values) in enumerate(rows, start=1):
        for col, (column, value) in enumerate(zip(columns, values, strict=True)):
            _write_cell(sheet, formats, (count, col), value,
                        number_format=_number_format(column, kpi), wrap=column in wrapped)
            widths[col] = max(widths[col], _shown_width(column, value, kpi))
    for col, column in enumerate(columns):
        width = TEXT_WIDTH if column in wrapped else min(max(widths[col], MIN_WIDTH), MAX_WIDTH)
        sheet.set_column(col, col, width + 2)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, count, len(columns) - 1)


def xlsx_bytes(digest: Digest, sheets: Sequence[Sheet] = ()) -> bytes:
    """The month's export as an XLSX workbook: KPIs, Sections, then ``sheets``, and the
    Revisions trail."""
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, WORKBOOK_OPTIONS)
    formats = _Formats(workbook)
    _write_sheet(workbook, formats, "KPIs", KPI_COLUMNS, kpi_rows(digest))
    _write_sheet(workbook, formats, "Sections", SECTION_COLUMNS,
                 ((None, values) for values in section_rows(digest)), frozenset({"text"}))
    for sheet in sheets:
        _write_sheet(workbook, formats, sheet.name, sheet.columns,
                     ((None, values) for values in sheet.rows), sheet.wrapped)
    _write_sheet(workbook, formats, "Revisions", REVISION_COLUMNS,
                 ((None, values) for values in revision_rows(digest)),
                 frozenset({"old_value", "new_value"}))
    workbook.close()
    return out.getvalue()
