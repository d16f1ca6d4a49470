"""Exports of a month (SPEC section 10) as files: CSV (a file each for the KPI rows, the
section texts, the asks of leadership and their history) or XLSX (one workbook, written by
:mod:`summaries.digest.xlsx`); the KPI and section rows and their rules are
:mod:`summaries.digest.rows`', the asks' are here.

A month's asks (SPEC 5.2) are those raised in it, in every state (a withdrawn one too: the
export is the record), and those raised before it that are still open: what the month's
digest carried over. ``checkin asks`` writes its CSV with the same columns.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from summaries.access import Viewer
from summaries.config.schema import Config
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
from summaries.digest.xlsx import Sheet, xlsx_bytes
from summaries.engine.asks import Ask
from summaries.i18n import N_
from summaries.periods import Month

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

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


def export_files(digest: Digest, fmt: str, stem: str, *, revisions: bool = False,
                 asks: Sequence[Ask] | None = None) -> list[tuple[str, bytes]]:
    """The export as (file name, content): for ``csv`` ``{stem}.csv``, ``{stem}-sections.csv``,
    ``{stem}-asks.csv`` and ``{stem}-ask-history.csv`` (and ``{stem}-revisions.csv`` with
    ``revisions``); for ``xlsx`` ``{stem}.xlsx`` with a sheet for each (the Revisions sheet
    always). ``asks`` are the month's (:func:`export_asks`); without them, those the digest
    holds (withdrawn ones are not among them)."""
    chosen = list(asks) if asks is not None else asks_in_digest(digest)
    if fmt == "csv":
        files = [(f"{stem}.csv", csv_bytes(KPI_COLUMNS, (v for _, v in kpi_rows(digest)))),
                 (f"{stem}-sections.csv", csv_bytes(SECTION_COLUMNS, section_rows(digest))),
                 (f"{stem}-asks.csv", csv_bytes(ASK_COLUMNS, ask_rows(chosen))),
                 (f"{stem}-ask-history.csv",
                  csv_bytes(ASK_HISTORY_COLUMNS, ask_history_rows(chosen)))]
        if revisions:
            files.append((f"{stem}-revisions.csv",
                          csv_bytes(REVISION_COLUMNS, revision_rows(digest))))
        return files
    if fmt == "xlsx":
        sheets = [Sheet(N_("Asks"), ASK_COLUMNS, tuple(ask_rows(chosen)),
                        frozenset({"text", "last_reply"})),
                  Sheet(N_("Ask history"), ASK_HISTORY_COLUMNS, tuple(ask_history_rows(chosen)),
                        frozenset({"text"}))]
        return [(f"{stem}.xlsx", xlsx_bytes(digest, sheets))]
    raise ValueError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")


ASK_COLUMNS: tuple[str, ...] = (
    "id", "period", "department", "section", "text", "state", "assignee", "raised_by",
    "raised_at", "last_action", "last_by", "last_at", "last_reply")
ASK_HISTORY_COLUMNS: tuple[str, ...] = (
    "ask_id", "at", "by", "action", "from", "to", "text", "assignee")


def every_department(config: Config) -> Viewer:
    """Who an export reads as: an admin, who sees every department's asks."""
    return Viewer("export", "admin", (), frozenset(config.department_by_key))


def export_asks(session: Session, config: Config, month: Month) -> list[Ask]:
    """The month's asks for its export: raised in it, in every state, and raised before it
    and still open; oldest month first, then in department and line order."""
    from summaries.checkins.asks import find_asks

    everyone = every_department(config)
    raised = find_asks(session, config, everyone, period=str(month), live_only=False)
    earlier = [a for a in find_asks(session, config, everyone) if (a.period or "") < str(month)]
    return sorted([*earlier, *raised], key=lambda a: a.period or "")


def asks_in_digest(digest: Digest) -> list[Ask]:
    """The asks a digest holds, in the order :func:`export_asks` gives: still open from
    earlier months, then the month's (none withdrawn)."""
    month = [a for d in digest.departments for a in d.asks]
    return sorted([*digest.carried, *month], key=lambda a: a.period or "")


def ask_rows(asks: Iterable[Ask]) -> Iterator[tuple[Value, ...]]:
    """Each ask as the cells of :data:`ASK_COLUMNS`; times in UTC, ISO 8601."""
    for ask in asks:
        raised = ask.history[0] if ask.history else None
        last, answer = ask.last_change, ask.answer
        yield (Decimal(ask.id) if ask.id is not None else None, ask.period, ask.department,
               ask.section, ask.text, str(ask.state), ask.assignee,
               raised.by if raised else None, _when(raised.at if raised else None),
               str(last.action) if last else None, last.by if last else None,
               _when(last.at if last else None), answer.text if answer else None)


def ask_history_rows(asks: Iterable[Ask]) -> Iterator[tuple[Value, ...]]:
    """Every change of each ask, in order, as the cells of :data:`ASK_HISTORY_COLUMNS`."""
    for ask in asks:
        for event in ask.history:
            yield (Decimal(ask.id) if ask.id is not None else None, _when(event.at), event.by,
                   str(event.action), str(event.before) if event.before else None,
                   str(event.after), event.text, event.assignee)


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment is not None else None
