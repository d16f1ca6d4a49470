"""The check-in modal: one input per KPI, then per section, split into steps when it is long;
the figures' inputs and the paste box are in :mod:`bot.blocks.figures`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.blocks.carried import form_asks
from bot.blocks.common import (
    MAX_LABEL,
    MAX_VIEW_BLOCKS,
    MAX_VIEW_TITLE,
    Block,
    button,
    clip,
    context,
    escape,
    plain,
)
from bot.blocks.figures import kpi_input, last_text_button, paste_input
from bot.ids import BACK_ACTION, CALLBACK_ID, NAV_BLOCK, VALUE_ACTION, FormRef
from summaries.checkins.forms import KPI, SECTION, FormContext, field_id
from summaries.checkins.submissions import MAX_SECTION_CHARS
from summaries.config import schema as schema
from summaries.dates import format_month
from summaries.i18n import N_, _, in_readers_language

ORIGIN_NOTE = {
    "draft": N_("Starting from your saved draft."),
    "submission": N_("Editing your submitted summary; every change is kept as a revision."),
    "imported": N_("The figures already imported for this month are filled in: check them."),
    "empty": "",
}
# Slack's limit for the texts of a view's submit and close buttons.
MAX_VIEW_BUTTON = 24


@in_readers_language
def checkin_view(form: FormContext, ref: FormRef, steps: list[list[str]], *,
                 locale: str = "en", deadline: str | None = None,
                 notes: list[str] | None = None, timezone: str = "UTC",
                 version: int = 0) -> dict[str, Any]:
    """The modal for step ``ref.step`` of ``form``, prefilled with its values; the asks
    carried over from earlier months follow the section asks are raised in (on the last step
    when there is none), in the room the view's 100 blocks leave. In the reader's language
    (``locale``'s outside any :func:`summaries.i18n.speaking`)."""
    title = _("Monthly check-in") if ref.steps == 1 else _(
        "Check-in {step} of {steps}", step=ref.step + 1, steps=ref.steps)
    intro = [f"*{escape(form.department.name)}* \u00b7 {format_month(form.period, locale)}"]
    if deadline:
        intro.append(_("Due {deadline}", deadline=deadline))
    note = ORIGIN_NOTE.get(form.origin, "")
    if ref.step == 0 and note:
        intro.append(_(note))
    blocks: list[Block] = [context(" \u00b7 ".join(intro))]
    blocks.extend(context(escape(n)) for n in (notes or []))
    sections = {field_id(SECTION, s.key): s for s in form.sections}
    kpis = {field_id(KPI, k.key): k for k in form.kpis}
    raising = {field_id(SECTION, s.key) for s in form.sections if s.raises}
    anchor = None  # where the carried asks go on this step
    last_kpi = next((f for f in reversed(steps[ref.step]) if f in kpis), None)
    for field in steps[ref.step]:
        value = form.values.get(field)
        if field in sections:
            blocks.append(section_input(sections[field], value))
            if sections[field].key in form.last_texts:
                blocks.append(last_text_button(sections[field]))
            anchor = len(blocks) if field in raising else anchor
        else:
            kpi = kpis[field]
            blocks.append(kpi_input(kpi, value, form.hints.get(kpi.key), form.period, locale,
                                    required=kpi.key in form.required))
            if field == last_kpi:  # the paste box closes the step's figures
                blocks.append(paste_input())
    carry_step = next((n for n, fields in enumerate(steps) if raising & set(fields)),
                      len(steps) - 1)
    if form.carried and ref.step == carry_step:
        room = MAX_VIEW_BLOCKS - len(blocks) - (3 if ref.step > 0 else 2)  # + nav, footer,
        at = len(blocks) if anchor is None else anchor  # and a note restore_view may add
        blocks[at:at] = form_asks(form.carried, form.period, form.values, room,
                                  locale=locale, timezone=timezone)
    footer = _("Closing this window keeps what you typed as a draft.")
    if ref.step > 0:
        blocks.append({"type": "actions", "block_id": NAV_BLOCK, "elements": [
            button(_("Back"), BACK_ACTION, ref.at(ref.step - 1).dumps())]})
    blocks.append(context(footer))
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "title": plain(title, MAX_VIEW_TITLE),
        "submit": plain(_("Submit") if ref.last_step else _("Next"), MAX_VIEW_BUTTON),
        "close": plain(_("Close"), MAX_VIEW_BUTTON),
        "notify_on_close": True,
        "private_metadata": ref.dumps(),
        "blocks": versioned(blocks, version),
    }


def versioned(blocks: list[Block], version: int) -> list[Block]:
    """``blocks`` with every input's action id marked ``version`` (``value.2``). Slack keeps
    what a person had in an input whose block and action ids stay the same when the app
    replaces the view, whatever its new initial value: a view that must show new values (the
    figures a paste filled in, last month's text, an emptied paste box) gives its inputs new
    action ids. :func:`base_action` reads them back."""
    if not version:
        return blocks
    marked = []
    for block in blocks:
        element = block.get("element") if block.get("type") == "input" else None
        if isinstance(element, dict) and "action_id" in element:
            element = {**element, "action_id": f"{base_action(element['action_id'])}"
                                                f"{VERSION_MARK}{version}"}
            block = {**block, "element": element}
        marked.append(block)
    return marked


VERSION_MARK = "."


def base_action(action_id: str) -> str:
    """An input's action id without its view version."""
    return action_id.partition(VERSION_MARK)[0]


def next_version(view: Mapping[str, Any]) -> int:
    """A version of the view's inputs that differs from the one it shows now."""
    found = 0
    for block in view.get("blocks") or []:
        element = block.get("element") if block.get("type") == "input" else None
        if isinstance(element, dict):
            _base, mark, number = str(element.get("action_id", "")).partition(VERSION_MARK)
            if mark and number.isdigit():
                found = max(found, int(number))
    return found + 1


def section_input(section: schema.Section, value: str | None) -> Block:
    """A multi-line text input for one section of the summary."""
    element: dict[str, Any] = {"type": "plain_text_input", "action_id": VALUE_ACTION,
                               "multiline": True, "max_length": MAX_SECTION_CHARS}
    if value:
        element["initial_value"] = value
    block: Block = {"type": "input", "block_id": field_id(SECTION, section.key),
                    "label": plain(section.title, MAX_LABEL), "element": element,
                    "optional": not section.required}
    if section.hint:
        block["hint"] = plain(section.hint, MAX_LABEL)
    return block


def notice_view(title: str, text: str) -> dict[str, Any]:
    """A modal that only tells the person something, with a Close button."""
    return {"type": "modal", "title": plain(title, MAX_VIEW_TITLE),
            "close": plain(_("Close"), MAX_VIEW_BUTTON),
            "blocks": [{"type": "section", "text": {"type": "mrkdwn",
                                                    "text": clip(escape(text), 3000)}}]}


def busy_view(text: str | None = None) -> dict[str, Any]:
    """A placeholder shown while slow work finishes (``text``, else "Working on it…"); it is
    replaced when done."""
    return notice_view(_("Monthly check-in"), text or _("Working on it\u2026"))


# Keys of a view object that may be sent back to Slack (the rest is Slack's own bookkeeping).
VIEW_KEYS = ("type", "callback_id", "title", "submit", "close", "notify_on_close",
             "private_metadata", "clear_on_close", "external_id")


def restore_view(view: dict[str, Any], typed: dict[str, str | None], note: str) -> dict[str, Any]:
    """The same form again with what was typed filled in and ``note`` on top.

    Used when saving failed after the window was replaced, so nothing typed is lost.
    """
    blocks: list[Block] = [context(f":warning: {escape(note)}")]
    for block in view.get("blocks", []):
        copy = dict(block)
        if copy.get("type") == "input" and copy.get("block_id") in typed:
            copy["element"] = _prefilled(copy["element"], typed[copy["block_id"]])
        blocks.append(copy)
    restored = {k: view[k] for k in VIEW_KEYS if k in view}
    restored["blocks"] = blocks[:100]
    return restored


def _prefilled(element: dict[str, Any], value: str | None) -> dict[str, Any]:
    """An input element starting from ``value``: a select's option with that value, else the
    text or number typed."""
    element = {k: v for k, v in element.items() if k not in ("initial_value", "initial_option")}
    if element.get("type") == "static_select":
        chosen = [o for o in element.get("options", []) if o.get("value") == value]
        element.update({"initial_option": chosen[0]} if chosen else {})
    elif value:
        element["initial_value"] = value
    return element


def input_fields(view: dict[str, Any]) -> list[str]:
    """The block ids of a view's inputs, in order."""
    return [b["block_id"] for b in view.get("blocks", [])
            if b.get("type") == "input" and "block_id" in b]
