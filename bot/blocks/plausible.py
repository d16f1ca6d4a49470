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
from summaries.i18n import _, in_readers_language

MAX_LINES = 40  # one section each, well inside a view's 100 blocks


@in_readers_language
def plausible_view(ref: FormRef, found: list[Implausible], mark: str, factor: Decimal,
                   locale: str = "en") -> dict[str, Any]:
    """The view listing the implausible figures; its metadata carries the form's reference
    and ``mark``, the fingerprint of exactly the figures shown (what "Submit anyway" confirms)."""
    lines = [implausible_line(f, locale) for f in found]
    shown = lines[:MAX_LINES]
    if len(lines) > len(shown):
        shown.append(_("\u2026and {count} more", count=len(lines) - len(shown)))
    times = format_number(factor, 2, locale).rstrip("0").rstrip(".,")
    blocks: list[Block] = [
        {"type": "section", "text": mrkdwn(_(
            "These figures are more than {times}\u00d7 last month's, or less than "
            "1/{times} of it. Please check them before they are stored.", times=times))},
        *({"type": "section", "text": mrkdwn(clip(line, 3000))} for line in shown),
        {"type": "actions", "block_id": "plausible_nav", "elements": [
            button(_("Back"), PLAUSIBLE_BACK, ref.dumps())]},
        context(_("Nothing is stored until you submit. Back returns to the form with "
                  "everything you typed.")),
    ]
    metadata = {**json.loads(ref.dumps()), "c": mark}
    return {"type": "modal", "callback_id": PLAUSIBLE_CALLBACK,
            "title": plain(_("Check these figures"), MAX_VIEW_TITLE),
            "submit": plain(_("Submit anyway"), MAX_VIEW_TITLE),
            "close": plain(_("Cancel"), MAX_VIEW_TITLE),
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
    ratio, name = found.ratio, escape(kpi.name)
    if ratio <= 0:
        return _("*{name}*: {now} against last month's {before}: submit anyway?",
                 name=name, now=now, before=before)
    if ratio >= 1:
        return _("*{name}*: {now} is {times}\u00d7 last month's {before}: submit anyway?",
                 name=name, now=now, before=before, times=_times(ratio, locale))
    return _("*{name}*: {now} is 1/{times} of last month's {before}: submit anyway?",
             name=name, now=now, before=before, times=_times(1 / ratio, locale))


def _times(ratio: Decimal, locale: str) -> str:
    """A ratio as people say it: ``10``, ``3.5``, ``1,200``."""
    places = 0 if ratio >= 10 else 1
    return format_number(ratio, places, locale).removesuffix(".0").removesuffix(",0")
