"""The confirmation asked before figures far from last month's are stored (SPEC 5.3):
"10,592,160 CNY is 10\u00d7 last month's 1,059,216 CNY: submit anyway?", with "Submit anyway"
and "Back" to the form, where everything typed is still there (the draft keeps it)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from bot.blocks.common import MAX_VIEW_TITLE, Block, button, clip, context, escape, mrkdwn, plain
from bot.ids import PLAUSIBLE_BACK, PLAUSIBLE_CALLBACK, FormRef
from summaries.checkins.plausible import Implausible
from summaries.formatting import format_figure, format_number

MAX_LINES = 40  # one section each, well inside a view's 100 blocks


def plausible_view(ref: FormRef, found: list[Implausible], mark: str, factor: Decimal,
                   locale: str = "en") -> dict[str, Any]:
    """The view listing the implausible figures; its metadata carries the form's reference
    and ``mark``, the fingerprint of exactly the figures shown (what "Submit anyway" confirms)."""
    lines = [implausible_line(f, locale) for f in found]
    shown = lines[:MAX_LINES]
    if len(lines) > len(shown):
        shown.append(f"\u2026and {len(lines) - len(shown)} more")
    times = format_number(factor, 2, locale).rstrip("0").rstrip(".,")
    blocks: list[Block] = [
        {"type": "section", "text": mrkdwn(
            f"These figures are more than {times}\u00d7 last month's, or less than "
            f"1/{times} of it. Please check them before they are stored.")},
        *({"type": "section", "text": mrkdwn(clip(line, 3000))} for line in shown),
        {"type": "actions", "block_id": "plausible_nav", "elements": [
            button("Back", PLAUSIBLE_BACK, ref.dumps())]},
        context("Nothing is stored until you submit. Back returns to the form with "
                "everything you typed."),
    ]
    metadata = {**json.loads(ref.dumps()), "c": mark}
    return {"type": "modal", "callback_id": PLAUSIBLE_CALLBACK,
            "title": plain("Check these figures", MAX_VIEW_TITLE),
            "submit": plain("Submit anyway"), "close": plain("Cancel"),
            "private_metadata": json.dumps(metadata, separators=(",", ":")),
            "blocks": blocks}


def confirmed_mark(metadata: str) -> str | None:
    """The fingerprint a confirmation view's metadata carries (None for any other view)."""
    try:
        mark = json.loads(metadata).get("c")
    except (ValueError, AttributeError):
        return None
    return mark if isinstance(mark, str) else None


def implausible_line(found: Implausible, locale: str = "en") -> str:
    """``*Business income*: 10,592,160 CNY is 10x last month's 1,059,216 CNY: submit
    anyway?`` (with a times sign); a figure below last month's is "1/N of" it, one of the
    other sign "-5 CNY against last month's 120 CNY"."""
    kpi = found.kpi
    now = format_figure(found.value, kpi.unit, kpi.decimals, locale)
    before = format_figure(found.previous, kpi.unit, kpi.decimals, locale)
    ratio = found.ratio
    if ratio <= 0:
        how = f"{now} against last month's {before}"
    elif ratio >= 1:
        how = f"{now} is {_times(ratio, locale)}\u00d7 last month's {before}"
    else:
        how = f"{now} is 1/{_times(1 / ratio, locale)} of last month's {before}"
    return f"*{escape(kpi.name)}*: {how}: submit anyway?"


def _times(ratio: Decimal, locale: str) -> str:
    """A ratio as people say it: ``10``, ``3.5``, ``1,200``."""
    places = 0 if ratio >= 10 else 1
    return format_number(ratio, places, locale).removesuffix(".0").removesuffix(",0")
