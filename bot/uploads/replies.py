"""What the bot answers a spreadsheet sent by direct message: every bad row, or the figures
kept in the draft with the button that opens the form to review and submit them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from bot.blocks.common import context, escape, section, sections
from bot.blocks.messages import open_button
from summaries.config.schema import Config
from summaries.dates import format_month
from summaries.i18n import N_, _, ngettext
from summaries.imports.figurerows import RowProblem
from summaries.periods import Month

Message = dict[str, Any]
REVIEW = N_("Review and submit")
SHOWN_PROBLEMS = 40  # a whole wrong sheet is named by its first rows; the rest are counted
FORMAT_HINT = N_("Send an XLSX or CSV file with two columns: the KPI's name or key, and its "
                 "value.")


def plain_reply(text: str) -> Message:
    """A reply of one paragraph (escaped here)."""
    return {"text": escape(text), "blocks": [section(escape(text))]}


def problems_reply(filename: str, department: str, problems: Sequence[RowProblem]) -> Message:
    """Every bad row of the file, and that nothing was kept."""
    count = len(problems)
    title = ngettext("{file}: {n} row to fix for {department}; nothing was kept.",
                     "{file}: {n} rows to fix for {department}; nothing was kept.", count,
                     file=escape(filename), department=escape(department))
    lines = [f"\u2022 {escape(str(p))}" for p in problems[:SHOWN_PROBLEMS]]
    if count > SHOWN_PROBLEMS:
        lines.append(_("\u2026 and {count} more", count=count - SHOWN_PROBLEMS))
    return {"text": title, "blocks": [section(title), *sections(lines),
                                      context(_("Fix the rows and send the file again."))]}


def kept_reply(config: Config, filename: str, period: str, department: str,
               values: Mapping[str, Decimal], shown: Mapping[str, str]) -> Message:
    """The figures now in the draft, and the button to review and submit them."""
    name = config.department_by_key[department].name
    month = format_month(Month.parse(period), config.organization.locale)
    title = ngettext("{file}: {n} figure for {department}, {month}, is in your draft. Nothing "
                     "is submitted until you review it and press Submit.",
                     "{file}: {n} figures for {department}, {month}, are in your draft. "
                     "Nothing is submitted until you review them and press Submit.",
                     len(values), file=escape(filename), department=escape(name), month=month)
    lines = [f"\u2022 {escape(config.kpi_by_key[key].name)}: {shown[key]}" for key in values]
    return {"text": title,
            "blocks": [section(title, accessory=open_button(period, department, _(REVIEW))),
                       *sections(lines)]}
