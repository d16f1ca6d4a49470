"""A month's figures from a spreadsheet: two columns (KPI name or key, value) pasted into the
form or sent as an XLSX or CSV file, checked row by row before anything is kept.

Managers keep their figures in a spreadsheet, so typing them again into the form is where
mistakes come from. Every reader here returns the same ``(row, KPI, value)`` triples, the row
being the one the person sees (a header row and blank rows count), so a problem names the row
to fix. Nothing here touches the database: the caller keeps what :func:`read_figure_rows` found
(in the form's draft) and the manager still reviews and submits it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from summaries.config.schema import Config, Kpi
from summaries.errors import Problem
from summaries.i18n import _
from summaries.imports.csvrows import Cells, Row, Table
from summaries.numberwords import parse_figure
from summaries.textfold import fold

# A row number (from 1, as the spreadsheet shows it), the KPI's name or key, the value text.
FigureRow = tuple[int, str, str]

# A first row naming its columns instead of giving a figure; compared after _fold.
_KPI_HEADERS = frozenset({"kpi", "kpis", "key", "name", "kpi name", "kpi key", "metric",
                          "指标", "指标名称", "名称", "项目", "kpi名称"})
_VALUE_HEADERS = frozenset({"value", "values", "figure", "figures", "amount", "actual",
                            "数值", "值", "数据", "金额", "实际", "完成"})
_THOUSANDS = re.compile(r"[0-9]{3}(?:\.[0-9]+)?%?")
# A number format shows the value as a percentage when it has a % outside quotes and brackets.
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')
EXCEL_DIGITS = 15  # Excel keeps 15 significant digits; the rest of a double is float noise


@dataclass(frozen=True, order=True)
class RowProblem:
    """Why one row of a spreadsheet was not taken, named so the person finds the row."""

    row: int
    message: str

    def __str__(self) -> str:
        return _("row {row}: {problem}", row=self.row, problem=self.message)


@dataclass
class FigureRows:
    """What a spreadsheet gives for a department: the figures by KPI key, and every bad row.

    The caller keeps ``values`` only when ``problems`` is empty: half a spreadsheet in the form
    would look like the whole of it.
    """

    values: dict[str, Decimal] = field(default_factory=dict)
    problems: list[RowProblem] = field(default_factory=list)


def rows_from_text(text: str) -> list[FigureRow]:
    """The rows of text pasted from a spreadsheet: tab-separated as Excel and Google Sheets copy
    it, else comma- or semicolon-separated as CSV, with quoted cells."""
    text = text.removeprefix("\ufeff")
    lines = [line for line in text.splitlines() if line.strip()]
    if any("\t" in line for line in lines):
        delimiter = "\t"
    elif lines and all(";" in line for line in lines):
        delimiter = ";"
    else:
        delimiter = ","
    return _figure_rows(_records(text, delimiter))


def rows_from_csv(data: bytes) -> list[FigureRow]:
    """The rows of a CSV file: UTF-8 (with or without the BOM Excel writes), else GB18030, the
    encoding a Chinese Excel saves "CSV" in."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030", errors="replace")
    return rows_from_text(text)


def rows_from_xlsx(data: bytes) -> list[FigureRow]:
    """The rows of an XLSX workbook's first sheet, from its first two columns with anything in
    them (a sheet often starts with an empty column or two).

    Numbers become plain decimal text as Excel shows them (15 significant digits, so 4993120.0
    is ``4993120`` and 0.1 + 0.2 is ``0.3``). A cell formatted as a percentage holds the
    fraction: 3.4% is stored as 0.034, so such a cell becomes ``3.4%``, which a percent KPI
    reads as 3.4 (its figures are in points) and any other KPI refuses.

    Raises ValueError when the data is not a workbook.
    """
    from openpyxl import load_workbook  # heavy; only an upload needs it

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError and its own errors alike
        raise ValueError(_("not a readable XLSX workbook")) from exc
    try:
        sheet = book.worksheets[0]
        grid = [(number, [_cell_text(cell) for cell in cells])
                for number, cells in enumerate(sheet.iter_rows(), 1)]
    finally:
        book.close()
    filled = sorted({i for _number, cells in grid for i, text in enumerate(cells) if text})[:2]
    return _figure_rows((number, [cells[i] if i < len(cells) else "" for i in filled])
                        for number, cells in grid)


def read_figure_rows(config: Config, department_key: str, rows: Sequence[FigureRow],
                     locale: str) -> FigureRows:
    """Check rows like ``checkin figures import`` checks a file, for one department.

    A row names a KPI by key or name (any case or width) among those the department types in:
    not a formula, not a figure it adds up from the departments below it. The value is parsed
    and bounded as the form would take it. A KPI given twice is a problem on the later row,
    naming the first. ``locale`` is the organization's, for reading numbers.
    """
    department = config.department_by_key[department_key]
    rolled = config.from_children(department)
    names = _names(config.kpis)
    table = Table("spreadsheet")
    found = FigureRows()
    first_row: dict[str, int] = {}
    for number, name, text in rows:
        cells = Cells(table, Row(number, {}))
        kpi = names.get(fold(name))
        if not name:
            cells.fail("", _("no KPI name in the first column"))
        elif kpi is None:
            cells.fail("", _("no KPI named {name}", name=repr(name)))
        elif kpi.key not in department.kpis:
            cells.fail("", _("{kpi} is not a KPI of {department}", kpi=kpi.name,
                             department=department.name))
        elif kpi.formula:
            cells.fail("", _("{kpi} is calculated from other figures", kpi=kpi.name))
        elif kpi.key in rolled:
            cells.fail("", _("{kpi} adds up the figures of the departments below {department}",
                             kpi=kpi.name, department=department.name))
        elif kpi.key in first_row:
            cells.fail("", _("{kpi} is given twice, in rows {first} and {again}", kpi=kpi.name,
                             first=first_row[kpi.key], again=number))
        if not cells.ok or kpi is None:
            continue
        first_row[kpi.key] = number
        value = _parse(cells, kpi, text, locale)
        if value is not None:
            cells.precise("", value, kpi)
            cells.in_range("", value, kpi)
        if cells.ok and value is not None:
            found.values[kpi.key] = value
    found.problems = [_row_problem(p) for p in sorted(table.problems)]
    return found


def _parse(cells: Cells, kpi: Kpi, text: str, locale: str) -> Decimal | None:
    """The value of a row as the form reads a typed figure (``4,993,120``, ``499.31万``,
    ``3.4%`` for a percent KPI), or None with the reason noted on the row."""
    if not text:
        cells.fail("", _("no value for {kpi}", kpi=kpi.name))
        return None
    try:
        return parse_figure(text, locale, percent=kpi.is_percent)
    except ValueError as exc:
        cells.fail("", _("{kpi}: {problem}", kpi=kpi.name, problem=exc))
        return None


def _row_problem(problem: Problem) -> RowProblem:
    return RowProblem(problem.line, problem.message)


def _names(kpis: Iterable[Kpi]) -> dict[str, Kpi]:
    """Every KPI by its folded key and name; a key wins over another KPI's equal name."""
    found = {fold(kpi.name): kpi for kpi in kpis}
    found.update({fold(kpi.key): kpi for kpi in kpis})
    return found


def _records(text: str, delimiter: str) -> Iterable[tuple[int, list[str]]]:
    """The CSV records of ``text``, each with the physical line it starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    end = 0
    try:
        for cells in reader:
            yield end + 1, _two_cells([c.strip() for c in cells], delimiter)
            end = reader.line_num
    except csv.Error:
        yield end + 1, ["", _("not readable: check the quotes")]


def _two_cells(cells: list[str], delimiter: str) -> list[str]:
    """A record as (KPI, value). ``Revenue,4,993,120`` split a number at its thousands
    separators: those cells join again. Any other extra cell stays in the value, so the row is
    refused rather than a column silently dropped."""
    while cells and not cells[-1]:
        cells.pop()
    if len(cells) <= 2:
        return cells
    rest = cells[1:]
    if delimiter == "," and all(_THOUSANDS.fullmatch(c) for c in rest[1:]):
        return [cells[0], ",".join(rest)]
    return [cells[0], " ".join(rest)]


def _figure_rows(records: Iterable[tuple[int, list[str]]]) -> list[FigureRow]:
    """Rows with anything in them; the first such row is skipped when it is a header."""
    rows: list[FigureRow] = []
    first = True
    for number, cells in records:
        name, value = ([*cells, "", ""])[:2]
        if not (name or value):
            continue
        if not (first and _is_header(name, value)):
            rows.append((number, name, value))
        first = False
    return rows


def _is_header(name: str, value: str) -> bool:
    return not any(c.isdigit() for c in value) and (
        fold(name) in _KPI_HEADERS or fold(value) in _VALUE_HEADERS)


def _cell_text(cell: Any) -> str:
    """A cell as the text a person sees in it (see :func:`rows_from_xlsx`)."""
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return str(value).strip()
    number = Decimal(format(value, f".{EXCEL_DIGITS}g"))
    percent = "%" in _QUOTED.sub("", str(getattr(cell, "number_format", "") or ""))
    if percent:
        number *= 100
    text = format(number.normalize() + 0, "f")  # + 0: no -0
    return f"{text}%" if percent else text
