"""Slack's `table` block as checks; `blockkit` calls these for every block of type `table`.

Rules and where they come from (the stand-in enforces only what Slack documents):

- Fields: https://docs.slack.dev/reference/block-kit/blocks/table-block -- `rows` is required,
  at most 100 rows, each row an array of at most 20 cells; `column_settings` is optional, at
  most 20 items, each with an optional `align` (left, center or right) and an optional boolean
  `is_wrapped`. Items may be null to keep a column's defaults.
- Cell types: the same page now lists `raw_text`, `rich_text` and `raw_number` cells (Slack's
  SDKs followed in slackapi/node-slack-sdk#2737 and slackapi/python-slack-sdk#1964).
  `raw_text.text` and `raw_number.text` must be at least 1 character, and `raw_number.value`
  must be a number
  (https://docs.slack.dev/tools/node-slack-sdk/reference/types/interfaces/RawTextElement and
  .../RawNumberElement). Slack's answer to an empty text is "must be more than 0 characters".
- Surfaces: Messages and Home tabs, not modals (the Surfaces column of
  https://docs.slack.dev/reference/block-kit/blocks).
- One table block per message, and at most 10,000 characters across a table's cells: Slack's
  own Block Kit guidance (slackapi/slack-skills-plugin, skills/block-kit) and the usage notes
  of the table-block page as others quote them. Those reports also say Slack answers a second
  table with `invalid_attachments`, not `invalid_blocks` (Slack moves a message's table into
  an attachment shown at the bottom of the message); `answer_error` picks that error.

Deliberately NOT checked, because the docs do not say so:
- that every row has the same number of cells (the data_table page requires that; the table
  page does not);
- a maximum length for one cell's text (none is documented; Slack's SDK maintainers removed
  theirs after posting cells of 3000+ characters, slackapi/node-slack-sdk#2440);
- a minimum number of rows or cells, and empty `text` elements inside a `rich_text` cell
  (Slack is reported to refuse those, but the docs do not state it).
"""

from __future__ import annotations

from typing import Any

MAX_ROWS = 100
MAX_CELLS = 20
MAX_COLUMN_SETTINGS = 20
MAX_TABLE_CHARS = 10_000
ALIGNS = ("left", "center", "right")
CELL_TYPES = ("raw_text", "raw_number", "rich_text")
RICH_TEXT_ELEMENTS = frozenset(
    {"rich_text_section", "rich_text_list", "rich_text_quote", "rich_text_preformatted"}
)
ONE_TABLE = "only one table block is allowed per message"


def _min_text(value: Any, path: str, out: list[str]) -> None:
    if not isinstance(value, str):
        out.append(f"{path}: required string")
    elif not value:
        out.append(f"{path}: must be more than 0 characters")


def _rich_text_cell(cell: dict[str, Any], path: str, out: list[str]) -> None:
    """The shape of a rich_text cell: a non-empty list of rich text sub-elements."""
    elements = cell.get("elements")
    if not isinstance(elements, list) or not elements:
        out.append(f"{path}.elements: must be a non-empty list")
        return
    for i, element in enumerate(elements):
        here = f"{path}.elements[{i}]"
        kind = element.get("type") if isinstance(element, dict) else None
        if kind not in RICH_TEXT_ELEMENTS:
            out.append(f"{here}.type: must be one of {sorted(RICH_TEXT_ELEMENTS)}, got {kind!r}")
        elif not isinstance(element.get("elements"), list):
            out.append(f"{here}.elements: must be a list")


def _cell(cell: Any, path: str, out: list[str]) -> None:
    if not isinstance(cell, dict):
        out.append(f"{path}: must be a cell object, got {type(cell).__name__}")
        return
    kind = cell.get("type")
    if kind not in CELL_TYPES:
        out.append(f"{path}.type: must be one of {list(CELL_TYPES)}, got {kind!r}")
    elif kind == "rich_text":
        _rich_text_cell(cell, path, out)
    else:
        _min_text(cell.get("text"), f"{path}.text", out)
        value = cell.get("value")
        if kind == "raw_number" and (isinstance(value, bool) or not isinstance(value, int | float)):
            out.append(f"{path}.value: must be a number, got {type(value).__name__}")


def _column_settings(settings: Any, path: str, out: list[str]) -> None:
    if not isinstance(settings, list):
        out.append(f"{path}: must be a list")
        return
    if len(settings) > MAX_COLUMN_SETTINGS:
        out.append(f"{path}: {len(settings)} items, at most {MAX_COLUMN_SETTINGS}")
    for i, setting in enumerate(settings):
        here = f"{path}[{i}]"
        if setting is None:
            continue
        if not isinstance(setting, dict):
            out.append(f"{here}: must be an object or null")
            continue
        if "align" in setting and setting["align"] not in ALIGNS:
            out.append(f"{here}.align: must be one of {list(ALIGNS)}, got {setting['align']!r}")
        if "is_wrapped" in setting and not isinstance(setting["is_wrapped"], bool):
            out.append(f"{here}.is_wrapped: must be a boolean")


def cell_chars(cell: Any) -> int:
    """Characters a cell shows: every `text` string in it (raw_number counts its `text`)."""
    if isinstance(cell, dict):
        own = len(cell["text"]) if isinstance(cell.get("text"), str) else 0
        return own + sum(cell_chars(v) for k, v in cell.items() if k != "text")
    if isinstance(cell, list):
        return sum(cell_chars(item) for item in cell)
    return 0


def check_table(block: dict[str, Any], path: str) -> list[str]:
    """Check one `table` block's rows, cells, column_settings and character count."""
    out: list[str] = []
    rows = block.get("rows")
    if rows is None:
        return [f"{path}.rows: required"]
    if not isinstance(rows, list):
        return [f"{path}.rows: must be a list of rows"]
    if len(rows) > MAX_ROWS:
        out.append(f"{path}.rows: {len(rows)} rows, at most {MAX_ROWS}")
    for r, row in enumerate(rows):
        here = f"{path}.rows[{r}]"
        if not isinstance(row, list):
            out.append(f"{here}: must be a list of cells")
            continue
        if len(row) > MAX_CELLS:
            out.append(f"{here}: {len(row)} cells, at most {MAX_CELLS}")
        for c, cell in enumerate(row):
            _cell(cell, f"{here}[{c}]", out)
    if "column_settings" in block:
        _column_settings(block["column_settings"], f"{path}.column_settings", out)
    chars = cell_chars(rows)
    if chars > MAX_TABLE_CHARS:
        out.append(f"{path}.rows: {chars} characters across the cells, at most {MAX_TABLE_CHARS}")
    return out


def check_one_table(blocks: list[Any], path: str) -> list[str]:
    """A message may hold one table block; every further one is a problem."""
    tables = [i for i, b in enumerate(blocks) if isinstance(b, dict) and b.get("type") == "table"]
    return [f"{path}[{i}]: {ONE_TABLE}" for i in tables[1:]]


def answer_error(problems: list[str]) -> str:
    """Slack's error for these problems: a surplus table alone is `invalid_attachments`."""
    if problems and all(p.endswith(ONE_TABLE) for p in problems):
        return "invalid_attachments"
    return "invalid_blocks"
