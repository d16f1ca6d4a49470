"""Exports of a month (SPEC section 10) as files: CSV (two files, KPI rows and section texts)
or XLSX (one workbook, written by :mod:`summaries.digest.xlsx`); the rows and their rules are
:mod:`summaries.digest.rows`'.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from summaries.digest.model import Digest
from summaries.digest.rows import (
    KPI_COLUMNS,
    REVISION_COLUMNS,
    SECTION_COLUMNS,
    Value,
    csv_cell,
    kpi_rows,
    revision_rows,
    section_rows,
)
from summaries.digest.xlsx import xlsx_bytes

FORMATS = ("csv", "xlsx")
# Excel reads a CSV file as UTF-8 only when it starts with a byte order mark (without one it
# takes the system's code page and garbles names in Chinese or German); the CSV imports of this
# product, and Python's "utf-8-sig", read files with or without one alike.
CSV_ENCODING = "utf-8-sig"


def csv_bytes(columns: Sequence[str], rows: Iterable[Sequence[Value]]) -> bytes:
    """A CSV file: a header row, then ``rows``, ``\\r\\n`` line ends, UTF-8 with a BOM."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return out.getvalue().encode(CSV_ENCODING)


def export_stem(digest: Digest) -> str:
    """The default file name stem of a month's export: ``checkin-2026-10``."""
    return f"checkin-{digest.period}"


def export_files(digest: Digest, fmt: str, stem: str, *,
                 revisions: bool = False) -> list[tuple[str, bytes]]:
    """The export as (file name, content): ``{stem}.csv`` and ``{stem}-sections.csv`` for
    ``csv`` (and ``{stem}-revisions.csv`` with ``revisions``), ``{stem}.xlsx`` for ``xlsx``
    (its Revisions sheet holds the digest's trail)."""
    if fmt == "csv":
        files = [(f"{stem}.csv", csv_bytes(KPI_COLUMNS, (v for _, v in kpi_rows(digest)))),
                 (f"{stem}-sections.csv", csv_bytes(SECTION_COLUMNS, section_rows(digest)))]
        if revisions:
            files.append((f"{stem}-revisions.csv",
                          csv_bytes(REVISION_COLUMNS, revision_rows(digest))))
        return files
    if fmt == "xlsx":
        return [(f"{stem}.xlsx", xlsx_bytes(digest))]
    raise ValueError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
