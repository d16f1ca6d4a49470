"""What the bot answers a spreadsheet sent by direct message: every bad row, or the figures
kept in the draft with the button that opens the form to review and submit them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from bot.blocks.common import context, escape, section, sections
from bot.blocks.messages import open_button
from summaries.config.schema import Config
from summaries.imports.figurerows import RowProblem

Message = dict[str, Any]
REVIEW = "Review and submit"
SHOWN_PROBLEMS = 40  # a whole wrong sheet is named by its first rows; the rest are counted
FORMAT_HINT = ("Send an XLSX or CSV file with two columns: the KPI's name or key, and its "
               "value.")


def plain_reply(text: str) -> Message:
    """A reply of one paragraph (escaped here)."""
    return {"text": escape(text), "blocks": [section(escape(text))]}


def problems_reply(filename: str, department: str, problems: Sequence[RowProblem]) -> Message:
    """Every bad row of the file, and that nothing was kept."""
    count = len(problems)
    title = (f"{escape(filename)}: {count} row{'s' if count != 1 else ''} to fix for "
             f"{escape(department)}; nothing was kept.")
    lines = [f"\u2022 {escape(str(p))}" for p in problems[:SHOWN_PROBLEMS]]
    if count > SHOWN_PROBLEMS:
        lines.append(f"\u2026 and {count - SHOWN_PROBLEMS} more")
    return {"text": title, "blocks": [section(title), *sections(lines),
                                      context("Fix the rows and send the file again.")]}


def kept_reply(config: Config, filename: str, period: str, department: str,
               values: Mapping[str, Decimal], shown: Mapping[str, str]) -> Message:
    """The figures now in the draft, and the button to review and submit them."""
    name = config.department_by_key[department].name
    count = len(values)
    title = (f"{escape(filename)}: {count} figure{'s' if count != 1 else ''} for "
             f"{escape(name)}, {period}, are in your draft. Nothing is submitted until you "
             "review them and press Submit.")
    lines = [f"\u2022 {escape(config.kpi_by_key[key].name)}: {shown[key]}" for key in values]
    return {"text": title,
            "blocks": [section(title, accessory=open_button(period, department, REVIEW)),
                       *sections(lines)]}
