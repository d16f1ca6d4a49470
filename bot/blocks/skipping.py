"""The "nothing to report this month" modal and its notice to the manager (SPEC 5.3), and the
lines that answer ``/checkin away`` and ``back``."""

from __future__ import annotations

from typing import Any

from bot.blocks.common import (
    MAX_LABEL,
    MAX_PLACEHOLDER,
    MAX_VIEW_TITLE,
    Block,
    clip,
    context,
    escape,
    plain,
    section,
)
from bot.ids import SKIP_CALLBACK, SKIP_REASON_BLOCK, open_value
from summaries.checkins.skipping import MAX_REASON_CHARS, REASON_FIELD
from summaries.i18n import _


def skip_view(period: str, department: str, name: str, month: str) -> dict[str, Any]:
    """The modal asking why ``department`` has nothing to report for the month."""
    return {
        "type": "modal", "callback_id": SKIP_CALLBACK,
        "private_metadata": open_value(period, department),
        "title": plain(_("Nothing to report"), MAX_VIEW_TITLE),
        "submit": plain(_("Mark as skipped"), MAX_VIEW_TITLE),
        "close": plain(_("Cancel"), MAX_VIEW_TITLE),
        "blocks": [
            section(_("Mark the {month} summary of *{name}* as nothing to report. "
                      "Leadership's digest shows the department as skipped, with your reason, "
                      "and flags nothing missing. You can still fill in the summary later; "
                      "submitting it replaces this.", month=escape(month), name=escape(name))),
            {"type": "input", "block_id": SKIP_REASON_BLOCK,
             "label": plain(_("Why is there nothing to report?"), MAX_LABEL),
             "element": {"type": "plain_text_input", "action_id": REASON_FIELD,
                         "multiline": True, "max_length": MAX_REASON_CHARS,
                         "placeholder": plain(_("e.g. the office was closed for renovation"),
                                              MAX_PLACEHOLDER)}},
        ],
    }


def skipped_notice(name: str, month: str, reason: str, by: str, *,
                   changed: bool) -> dict[str, Any]:
    """The DM that confirms a month marked "nothing to report"."""
    values = {"month": escape(month), "name": escape(name), "by": by, "reason": escape(reason)}
    text = _(":heavy_minus_sign: The {month} summary of *{name}* is marked *nothing to "
             "report* by <@{by}>: {reason}", **values) if changed else _(
        ":heavy_minus_sign: The {month} summary of *{name}* was already marked *nothing to "
        "report* by <@{by}>: {reason}", **values)
    blocks: list[Block] = [section(text), context(_(
        "No reminders follow, and the digest shows it as skipped. Filling in the summary "
        "before the close submits it as usual."))]
    return {"text": clip(_("{month} {name}: nothing to report", month=month, name=name), 150),
            "blocks": blocks}


def away_line(manager: str, deputy: str, first: str, last: str) -> str:
    """``@manager is away from Nov 20 to Dec 5: @deputy gets their prompts ...``."""
    return _("<@{manager}> is away from {first} to {last}: <@{deputy}> gets their check-in "
             "prompts and reminders meanwhile and may fill in and submit for them.",
             manager=manager, first=escape(first), last=escape(last), deputy=deputy)


def deputy_notice(manager: str, first: str, last: str, by: str) -> dict[str, Any]:
    """The DM telling a deputy they act for a manager while away."""
    text = _(":busts_in_silhouette: <@{by}> set you as the deputy of <@{manager}> from {first} "
             "to {last}: their monthly check-in prompts and reminders come to you in those "
             "days, and you may fill in and submit the summary.",
             by=by, manager=manager, first=escape(first), last=escape(last))
    return {"text": _("You are a deputy for the monthly check-in"), "blocks": [section(text)]}
