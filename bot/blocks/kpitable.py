"""A department's KPIs as Slack's ``table`` block, with the text lines that stand in for it
where a table cannot go (too many rows or columns, or a client without tables)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.blocks.common import Block, escape
from bot.blocks.kpis import revised_note, status_mark
from summaries.digest.model import KpiRow
from summaries.digest.text import COLUMNS, columns
from summaries.i18n import _

MAX_TABLE_ROWS = 100  # Slack's, the header row included
MAX_TABLE_COLUMNS = 20
MAX_TABLE_CHARS = 10_000  # of cell text, all cells together
_ALIGN = ("left", "right", "right", "right", "right", "right", "left", "left")


def kpi_table(rows: Sequence[KpiRow], locale: str, block_id: str) -> Block | None:
    """The KPIs as one table block (header row first), or None when Slack's table limits
    would not hold them; the status column is in words, not colour alone."""
    if not rows or len(rows) + 1 > MAX_TABLE_ROWS or len(COLUMNS) > MAX_TABLE_COLUMNS:
        return None
    table = [[_cell(title) for title in columns()]]
    table += [[_cell(text) for text in row.text(locale).columns] for row in rows]
    if sum(len(cell["text"]) for line in table for cell in line) > MAX_TABLE_CHARS:
        return None
    return {"type": "table", "block_id": block_id, "rows": table,
            "column_settings": [{"align": align, "is_wrapped": index == 0}
                                for index, align in enumerate(_ALIGN)]}


def _cell(text: str) -> dict[str, str]:
    return {"type": "raw_text", "text": text or "\u2014"}


def kpi_row_line(row: KpiRow, locale: str) -> str:
    """Every column of a KPI on one mrkdwn line; imported figures are marked, and a figure
    changed after it was first given says when and by whom."""
    text = row.text(locale)
    values = {"name": escape(text.name), "actual": escape(text.actual),
              "target": escape(text.target), "attainment": text.attainment, "mom": text.mom,
              "yoy": text.yoy, "ytd": escape(text.ytd)}
    line = f"{status_mark(row.cell)} " + (
        _("*{name}* _(imported)_: {actual} \u00b7 target {target} \u00b7 attainment "
          "{attainment} \u00b7 MoM {mom} \u00b7 YoY {yoy} \u00b7 YTD {ytd}", **values)
        if text.imported else
        _("*{name}*: {actual} \u00b7 target {target} \u00b7 attainment {attainment} \u00b7 "
          "MoM {mom} \u00b7 YoY {yoy} \u00b7 YTD {ytd}", **values))
    if row.revised is not None:
        line += f" \u00b7 _{revised_text(row, locale)}_"
    return line


def revised_text(row: KpiRow, locale: str) -> str:
    """"revised <date> by <who>" for a figure changed after it was first given."""
    assert row.revised is not None
    return revised_note(row.revised, locale)
