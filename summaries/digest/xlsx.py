"""The XLSX export: the KPI rows on a sheet "KPIs", the section texts on a sheet "Sections",
any further sheets the export adds (the asks of leadership and their history), and the
revision trail, formatted for reading (bold frozen header, filters, widths, numbers as
numbers, text never taken for a formula).

Sheet names, column titles and the words of statuses, sources and ask states are the
reader's (English: the CSV's column names and words, see :mod:`summaries.digest.rows`)."""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import xlsxwriter  # type: ignore[import-untyped]

from summaries.config.schema import Kpi
from summaries.digest.askwords import state_word
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
from summaries.digest.text import STATUS_LABELS
from summaries.digest.voice import status_word, voice
from summaries.formatting import format_number, format_ratio
from summaries.i18n import N_, _, pgettext

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


def column_title(column: str) -> str:
    """A column's title in the reader's language (English: the CSV's name, ``kpi_name``)."""
    titles = {
        "period": pgettext("export column", "period"),
        "department": pgettext("export column", "department"),
        "department_name": pgettext("export column", "department_name"),
        "kpi": pgettext("export column", "kpi"), "kpi_name": pgettext("export column", "kpi_name"),
        "unit": pgettext("export column", "unit"), "actual": pgettext("export column", "actual"),
        "target": pgettext("export column", "target"),
        "stretch": pgettext("export column", "stretch"),
        "attainment": pgettext("export column", "attainment"),
        "mom": pgettext("export column", "mom"), "yoy": pgettext("export column", "yoy"),
        "ytd": pgettext("export column", "ytd"),
        "annual_plan": pgettext("export column", "annual_plan"),
        "ytd_share": pgettext("export column", "ytd_share"),
        "pace_share": pgettext("export column", "pace_share"),
        "status": pgettext("export column", "status"),
        "source": pgettext("export column", "source"),
        "section": pgettext("export column", "section"),
        "section_title": pgettext("export column", "section_title"),
        "text": pgettext("export column", "text"), "field": pgettext("export column", "field"),
        "old_value": pgettext("export column", "old_value"),
        "new_value": pgettext("export column", "new_value"),
        "changed_by": pgettext("export column", "changed_by"),
        "changed_at": pgettext("export column", "changed_at"),
        "id": pgettext("export column", "id"), "state": pgettext("export column", "state"),
        "assignee": pgettext("export column", "assignee"),
        "raised_by": pgettext("export column", "raised_by"),
        "raised_at": pgettext("export column", "raised_at"),
        "last_action": pgettext("export column", "last_action"),
        "last_by": pgettext("export column", "last_by"),
        "last_at": pgettext("export column", "last_at"),
        "last_reply": pgettext("export column", "last_reply"),
        "ask_id": pgettext("export column", "ask_id"), "at": pgettext("export column", "at"),
        "by": pgettext("export column", "by"), "action": pgettext("export column", "action"),
        "from": pgettext("export column", "from"), "to": pgettext("export column", "to")}
    return titles.get(column, column)


def shown_value(column: str, value: str) -> str:
    """A word the export writes (a status, a source, an ask's state or action) in the
    reader's language; any other text as it is."""
    if column == "status":
        label = next((label for label in STATUS_LABELS.values() if label == value), None)
        return _(label) if label is not None else status_word(value)
    if column in ("state", "from", "to"):
        return state_word(value)
    words = {"submitted": pgettext("figure source", "submitted"),
             "imported": pgettext("figure source", "imported"),
             "rollup": pgettext("figure source", "rollup"),
             "derived": pgettext("figure source", "derived")} if column == "source" else {
        "raise": pgettext("ask action", "raise"), "edit": pgettext("ask action", "edit"),
        "acknowledge": pgettext("ask action", "acknowledge"),
        "assign": pgettext("ask action", "assign"), "reply": pgettext("ask action", "reply"),
        "decide": pgettext("ask action", "decide"), "decline": pgettext("ask action", "decline"),
        "withdraw": pgettext("ask action", "withdraw"),
        "update": pgettext("ask action", "update")} if column in ("action", "last_action") \
        else {}
    return words.get(value, value)


def _write_sheet(workbook: Any, formats: _Formats, name: str, columns: Sequence[str],
                 rows: Iterable[tuple[Kpi | None, Sequence[Value]]],
                 wrapped: frozenset[str] = frozenset()) -> None:
    """One sheet: a bold frozen header with filters, the rows, widths fitted to the content."""
    sheet = workbook.add_worksheet(_(name))
    header = formats.get(bold=True)
    titles = [column_title(column) for column in columns]
    widths = [len(title) for title in titles]
    for col, title in enumerate(titles):
        sheet.write_string(0, col, title, header)
    count = 0
    for count, (kpi, values) in enumerate(rows, start=1):
        for col, (column, value) in enumerate(zip(columns, values, strict=True)):
            if isinstance(value, str) and value:
                value = shown_value(column, value)
            _write_cell(sheet, formats, (count, col), value,
                        number_format=_number_format(column, kpi), wrap=column in wrapped)
            widths[col] = max(widths[col], _shown_width(column, value, kpi))
    for col, column in enumerate(columns):
        width = TEXT_WIDTH if column in wrapped else min(max(widths[col], MIN_WIDTH), MAX_WIDTH)
        sheet.set_column(col, col, width + 2)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, count, len(columns) - 1)


def xlsx_bytes(digest: Digest, sheets: Sequence[Sheet] = ()) -> bytes:
    """The month's export as an XLSX workbook: KPIs, Sections, then ``sheets`` (their names
    marked for the catalogue), and the Revisions trail; in the organization's language unless
    the caller speaks a reader's."""
    out = io.BytesIO()
    with voice(digest.locale, digest.compact_units):
        workbook = xlsxwriter.Workbook(out, WORKBOOK_OPTIONS)
        formats = _Formats(workbook)
        _write_sheet(workbook, formats, N_("KPIs"), KPI_COLUMNS, kpi_rows(digest))
        _write_sheet(workbook, formats, N_("Sections"), SECTION_COLUMNS,
                     ((None, values) for values in section_rows(digest)), frozenset({"text"}))
        for sheet in sheets:
            _write_sheet(workbook, formats, sheet.name, sheet.columns,
                         ((None, values) for values in sheet.rows), sheet.wrapped)
        _write_sheet(workbook, formats, N_("Revisions"), REVISION_COLUMNS,
                     ((None, values) for values in revision_rows(digest)),
                     frozenset({"old_value", "new_value"}))
        workbook.close()
    return out.getvalue()
