"""Read long-format CSV files for imports: header, physical line numbers, checked cells."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from summaries.config.schema import Config, Kpi
from summaries.errors import InputError, Problem
from summaries.i18n import N_, _
from summaries.numbers import decimals_problem, parse_decimal
from summaries.periods import Month
from summaries.store.figures import format_value

# A file to read (``Path``), its raw bytes, or its text (``str``).
Source = Path | str | bytes

WHAT = {"monthly": N_("a monthly target"), "annual": N_("an annual plan"),
        "max": N_("a control limit (max)"), "min": N_("a floor (min)")}


@dataclass(frozen=True)
class Row:
    """One data row: its first physical line and its trimmed cells by column name."""

    line: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass
class Table:
    """A CSV file's header and data rows, plus every problem found while reading them."""

    filename: str
    columns: tuple[str, ...] = ()
    header_line: int = 1
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # required columns the header lacks

    def fail(self, line: int, column: str, message: str) -> None:
        self.problems.append(Problem(self.filename, line, column, message))


class Cells:
    """Reads the cells of one row, reporting each problem at the row's line."""

    def __init__(self, table: Table, row: Row) -> None:
        self.table, self.row, self.ok = table, row, True

    def fail(self, column: str, message: str) -> None:
        self.table.fail(self.row.line, column, message)
        self.ok = False

    def text(self, column: str, required: bool = False) -> str | None:
        value = self.row.get(column)
        if not value and required:
            self.fail(column, _("required"))
        return value or None

    def number(self, column: str, required: bool = False) -> Decimal | None:
        text = self.text(column, required)
        try:
            return parse_decimal(text) if text is not None else None
        except ValueError as exc:
            self.fail(column, str(exc))
            return None

    def month(self, column: str, required: bool = False) -> str | None:
        text = self.text(column, required)
        try:
            return str(Month.parse(text)) if text is not None else None
        except ValueError as exc:
            self.fail(column, str(exc))
            return None

    def year(self, column: str, required: bool = False) -> int | None:
        text = self.text(column, required)
        if text is None:
            return None
        if not re.fullmatch(r"[0-9]{4}", text) or not 2000 <= int(text) <= 2100:
            self.fail(column, _("not a year between 2000 and 2100: {value}", value=repr(text)))
            return None
        return int(text)

    def weights(self, column: str) -> tuple[Decimal, ...] | None:
        """Twelve non-negative weights separated by ``;`` (not all zero), or None if empty."""
        text = self.text(column)
        if text is None:
            return None
        parts = [p.strip() for p in text.split(";")]
        if len(parts) != 12:
            self.fail(column, _("needs twelve weights separated by ';', not {count}: {value}",
                                count=len(parts), value=repr(text)))
            return None
        weights = []
        for position, part in enumerate(parts, 1):
            try:
                weights.append(parse_decimal(part))
            except ValueError as exc:
                self.fail(column, _("weight {position}: {problem}", position=position,
                                    problem=exc if part else _("empty")))
                return None
        if any(w < 0 for w in weights):
            self.fail(column, _("weights must not be negative"))
        elif sum(weights) <= 0:
            self.fail(column, _("the weights add up to zero"))
        return tuple(weights)

    def kpi(self, config: Config, importable: bool) -> Kpi | None:
        key = self.text("kpi", required=True)
        kpi = config.kpi_by_key.get(key) if key is not None else None
        if key is not None and kpi is None:
            self.fail("kpi", _("unknown KPI {key}", key=repr(key)))
        elif kpi is not None and importable and kpi.formula:
            self.fail("kpi", _("{key} is derived from a formula and cannot be imported",
                               key=repr(key)))
            return None
        return kpi

    def department(self, config: Config, kpi: Kpi | None, kind: str) -> str | None:
        """The department's key; ``kind`` is a target's kind, or "" for a figure."""
        key = self.text("department", required=kind == "")
        if key is None:
            if kind in ("monthly", "annual"):
                self.fail("department", _("required for {what} (only max and min may leave it "
                                          "empty, meaning every department)",
                                          what=_(WHAT[kind])))
            return None
        dept = config.department_by_key.get(key)
        if dept is None:
            self.fail("department", _("unknown department {key}", key=repr(key)))
        elif kpi is not None and kpi.key not in dept.kpis:
            self.fail("kpi", _("{key} is not a KPI of {department} (its KPIs: {kpis})",
                               key=repr(kpi.key), department=key,
                               kpis=", ".join(dept.kpis) or _("none")))
        return key

    def precise(self, column: str, value: Decimal, kpi: Kpi) -> None:
        """A figure has no more decimal places than its KPI keeps."""
        problem = decimals_problem(value, kpi.input_decimals)
        if problem:
            self.fail(column, _("{problem} ({key} has decimals: {decimals})", problem=problem,
                                key=kpi.key, decimals=kpi.decimals))

    def in_range(self, column: str, value: Decimal, kpi: Kpi, upper: bool = True) -> None:
        if kpi.min is not None and value < kpi.min:
            self.fail(column, _("below the KPI's minimum {minimum}", minimum=plain(kpi.min)))
        if upper and kpi.max is not None and value > kpi.max:
            self.fail(column, _("above the KPI's maximum {maximum}", maximum=plain(kpi.max)))

    def unique(self, seen: dict[Hashable, int], key: Hashable) -> bool:
        """False (and a problem) if an earlier row had the same key."""
        if key in seen:
            self.fail("", _("duplicate of line {line}", line=seen[key]))
            return False
        seen[key] = self.row.line
        return True


def display_name(source: Source, filename: str | None) -> str:
    """The name errors are reported under: ``filename``, else the file's own name."""
    if filename:
        return filename
    return source.name if isinstance(source, Path) else "<input>"


def read_text(source: Source, filename: str) -> str:
    """The text of a CSV source, decoded as UTF-8 with or without a BOM."""
    if isinstance(source, str):
        return source.removeprefix("\ufeff")
    if isinstance(source, bytes):
        data = source
    else:
        try:
            data = source.read_bytes()
        except FileNotFoundError:
            raise InputError([Problem(filename, 1, "", _("file not found"))]) from None
        except OSError as exc:
            raise InputError([Problem(filename, 1, "", _("cannot read: {error}", error=exc))]
                             ) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError([Problem(filename, line, "", _(
            "not UTF-8 text: save the file as CSV UTF-8"))]) from None


def read_table(text: str, filename: str, required: Sequence[str],
               optional: Sequence[str] = ()) -> Table:
    """Split CSV text into a header and rows; problems with the header go into the table.

    Header names are trimmed and lower-cased, cells trimmed; blank lines (or lines of empty
    cells) are skipped; a row's line is the physical line it starts on (the header is line 1).
    """
    table = Table(filename)
    known = (*required, *optional)
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    end = 0
    try:
        for cells in reader:
            line, end = end + 1, reader.line_num
            cells = [c.strip() for c in cells]
            if not any(cells):
                continue
            if header is None:
                header = [c.lower() for c in cells]
                table.header_line = line
                _check_header(table, header, required, known)
                continue
            if len(cells) > len(header) and any(cells[len(header):]):
                grouped = all(re.fullmatch(r"[0-9]{3}", c) for c in cells[len(header):])
                message = N_("{cells} cells, but the header has {columns} columns: write "
                             "numbers without thousands separators") if grouped else N_(
                    "{cells} cells, but the header has {columns} columns")
                table.fail(line, "", _(message, cells=len(cells), columns=len(header)))
            row = {name: cell for name, cell in zip(header, cells, strict=False) if name}
            if any(cell and not name for name, cell in zip(header, cells, strict=False)):
                table.fail(line, "", _("a value under a column with no name in the header"))
            table.rows.append(Row(line, row))
    except csv.Error as exc:
        table.fail(reader.line_num or 1, "", _("not readable as CSV: {error}", error=exc))
    if header is None and not table.problems:
        table.fail(1, "", _("no header row: the file must start with {columns}",
                            columns=",".join(required)))
        table.missing.extend(required)
    table.columns = tuple(header or ())
    return table


def _check_header(table: Table, header: list[str], required: Sequence[str],
                  known: Sequence[str]) -> None:
    line = table.header_line
    for position, name in enumerate(header):
        if not name:
            continue
        if name not in known:
            table.fail(line, name, _("unknown column; expected {columns}",
                                     columns=", ".join(known)))
        elif name in header[:position]:
            table.fail(line, name, _("duplicate column"))
    for name in required:
        if name not in header:
            table.fail(line, name, _("missing column"))
            table.missing.append(name)


def plain(value: Decimal) -> str:
    """A number as plain decimal text: ``2400000``, ``3.5``."""
    return format_value(value) or ""
