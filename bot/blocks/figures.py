"""The check-in form's figures: one text input per KPI with what it is judged against, the
"Paste figures" box, and the "Use last month's text" button under a section.

A KPI input is plain text, not Slack's number input: that one refuses ``4,993,120``,
``499.31万`` and ``3.4%``, which is how managers write figures. The server reads them
(:mod:`summaries.numberwords`) and answers under the field when one is not a number.
"""

from __future__ import annotations

from decimal import Decimal

from bot.blocks.common import MAX_LABEL, MAX_PLACEHOLDER, Block, button, plain
from bot.ids import (
    LAST_TEXT_ACTION,
    LAST_TEXT_BLOCK,
    PASTE_ACTION,
    PASTE_BLOCK,
    VALUE_ACTION,
)
from summaries.checkins.forms import KPI, KpiHint, field_id
from summaries.config import schema as schema
from summaries.dates import format_month
from summaries.formatting import format_figure
from summaries.i18n import _
from summaries.periods import Month

MAX_PASTE_CHARS = 3000  # Slack's limit for a text input


def kpi_input(kpi: schema.Kpi, value: str | None, hint: KpiHint | None, period: Month,
              locale: str, *, required: bool = False) -> Block:
    """A text input for one KPI, labelled with its unit; the hint says last month's figure,
    the target and the limit or floor in force. Always optional for Slack: a required figure
    may come from the paste box, so the server says what is missing, under the field."""
    element: Block = {"type": "plain_text_input", "action_id": VALUE_ACTION,
                      "placeholder": plain(_example(kpi), MAX_PLACEHOLDER)}
    if value:
        element["initial_value"] = value
    label = _("{name} ({unit})", name=kpi.name, unit=kpi.unit) if kpi.unit else kpi.name
    return {"type": "input", "block_id": field_id(KPI, kpi.key),
            "label": plain(label, MAX_LABEL), "element": element, "optional": True,
            "hint": plain(hint_text(kpi, hint, period, locale, required=required), MAX_LABEL)}


def hint_text(kpi: schema.Kpi, hint: KpiHint | None, period: Month, locale: str, *,
              required: bool = False) -> str:
    """``Required · Last month (September 2026): 2.10% · Limit: 3.00%``: last month's figure,
    then each of the target, the limit (a maximum) and the floor (a minimum) in force; "Target:
    none set" only when none of them is."""
    def shown(value: Decimal | None) -> str:
        return _("none") if value is None else format_figure(value, kpi.unit, kpi.decimals,
                                                             locale)

    previous = period.shift(-1)
    last = hint.previous if hint is not None else None
    parts = [_("Required")] if required else []
    parts.append(_("Last month ({month}): {value}", month=format_month(previous, locale),
                   value=shown(last)))
    target, limit, floor = (hint.target, hint.limit, hint.floor) if hint else (None,) * 3
    if target is not None:
        parts.append(_("Target: {value}", value=shown(target)))
    if limit is not None:
        parts.append(_("Limit: {value}", value=shown(limit)))
    if floor is not None:
        parts.append(_("Floor: {value}", value=shown(floor)))
    if target is None and limit is None and floor is None:
        parts.append(_("Target: none set"))
    return " \u00b7 ".join(parts)


def _example(kpi: schema.Kpi) -> str:
    """What the input takes, shown while it is empty."""
    if kpi.is_percent:
        return _("A percentage, such as 3.4 or 3.4%")
    return _("Such as 4,993,120 or 499.31\u4e07")


def paste_input() -> Block:
    """The optional box taking two columns copied from a spreadsheet (SPEC 5.3): the figures
    fill the inputs above and the form comes back for review before anything is stored."""
    return {"type": "input", "block_id": PASTE_BLOCK, "optional": True,
            "label": plain(_("Paste figures")),
            "hint": plain(_("Two columns copied from a spreadsheet: the KPI's name or key, then "
                            "its value. They fill in the figures above for you to check.")),
            "element": {"type": "plain_text_input", "action_id": PASTE_ACTION,
                        "multiline": True, "max_length": MAX_PASTE_CHARS}}


def last_text_button(section: schema.Section) -> Block:
    """A button under a section copying last month's answer into it."""
    return {"type": "actions", "block_id": f"{LAST_TEXT_BLOCK}:{section.key}", "elements": [
        button(_("Use last month's text"), LAST_TEXT_ACTION, section.key)]}
