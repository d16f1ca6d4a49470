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
from summaries.numbers import decimals_problem, parse_decimal
from summaries.periods import Month
from summaries.store.figures import format_value

Source = Path | str | bytes
"""A file to read (``Path``), its raw bytes, or its text (``str``)."""

WHAT = {"monthly": "a monthly target", "annual": "an annual plan",
        "max": "a control limit (max)", "min": "a floor (min)"}


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
            self.fail(column, "required")
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
            self.fail(column, f"not a year between 2000 and 2100: {text!r}")
            return None
        return int(text)

    def weights(self, column: str) -> tuple[Decimal, ...] | None:
        """Twelve non-negative weights separated by ``;`` (not all zero), or None if empty."""
        text = self.text(column)
        if text is None:
            return None
        parts = [p.strip() for p in text.split(";")]
        if len(parts) != 12:
            self.fail(column, f"needs twelve weights separated by ';', not {len(parts)}: "
                              f"{text!r}")
            return None
        weights = []
        for position, part in enumerate(parts, 1):
            try:
                weights.append(parse_decimal(part))
            except ValueError as exc:
                self.fail(column, f"weight {position}: {exc if part else 'empty'}")
                return None
        if any(w < 0 for w in weights):
            self.fail(column, "weights must not be negative")
        elif sum(weights) <= 0:
            self.fail(column, "the weights add up to zero")
        return tuple(weights)

    def kpi(self, config: Config, importable: bool) -> Kpi | None:
        key = self.text("kpi", required=True)
        kpi = config.kpi_by_key.get(key) if key is not None else None
        if key is not None and kpi is None:
            self.fail("kpi", f"unknown KPI {key!r}")
        elif kpi is not None and importable and kpi.formula:
            self.fail("kpi", f"{key!r} is derived from a formula and cannot be imported")
            return None
        return kpi

    def department(self, config: Config, kpi: Kpi | None, kind: str) -> str | None:
        """The department's key; ``kind`` is a target's kind, or "" for a figure."""
        key = self.text("department", required=kind == "")
        if key is None:
            if kind in ("monthly", "annual"):
                self.fail("department", f"required for {WHAT[kind]} (only max and min may leave "
                                         "it empty, meaning every department)")
            return None
        dept = config.department_by_key.get(key)
        if dept is None:
            self.fail("department", f"unknown department {key!r}")
        elif kpi is not None and kpi.key not in dept.kpis:
            self.fail("kpi", f"{kpi.key!r} is not a KPI of {key} "
                              f"(its KPIs: {', '.join(dept.kpis) or 'none'})")
        return key

    def precise(self, column: str, value: Decimal, kpi: Kpi) -> None:
        """A figure has no more decimal places than its KPI keeps."""
        problem = decimals_problem(value, kpi.input_decimals)
        if problem:
            self.fail(column, f"{problem} ({kpi.key} has decimals: {kpi.decimals})")

    def in_range(self, column: str, value: Decimal, kpi: Kpi, upper: bool = True) -> None:
        if kpi.min is not None and value < kpi.min:
            self.fail(column, f"below the KPI's minimum {plain(kpi.min)}")
        if upper and kpi.max is not None and value > kpi.max:
            self.fail(column, f"above the KPI's maximum {plain(kpi.max)}")

    def unique(self, seen: dict[Hashable, int], key: Hashable) -> bool:
        """False (and a problem) if an earlier row had the same key."""
        if key in seen:
            self.fail("", f"duplicate of line {seen[key]}")
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
            raise InputError([Problem(filename, 1, "", "file not found")]) from None
        except OSError as exc:
            raise InputError([Problem(filename, 1, "", f"cannot read: {exc}")]) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError([Problem(filename, line, "", "not UTF-8 text: save the file as "
                                  "CSV UTF-8")]) from None


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
                hint = (": write numbers without thousands separators" if all(
                    re.fullmatch(r"[0-9]{3}", c) for c in cells[len(header):]) else "")
                table.fail(line, "", f"{len(cells)} cells, but the header has {len(header)} "
                                     f"columns{hint}")
            row = {name: cell for name, cell in zip(header, cells, strict=False) if name}
            if any(cell and not name for name, cell in zip(header, cells, strict=False)):
                table.fail(line, "", "a value under a column with no name in the header")
            table.rows.append(Row(line, row))
    except csv.Error as exc:
        table.fail(reader.line_num or 1, "", f"not readable as CSV: {exc}")
    if header is None and not table.problems:
        table.fail(1, "", f"no header row: the file must start with {','.join(required)}")
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
            table.fail(line, name, f"unknown column; expected {', '.join(known)}")
        elif name in header[:position]:
            table.fail(line, name, "duplicate column")
    for name in required:
        if name not in header:
            table.fail(line, name, "missing column")
            table.missing.append(name)


def plain(value: Decimal) -> str:
    """A number as plain decimal text: ``2400000``, ``3.5``."""
    return format_value(value) or ""
