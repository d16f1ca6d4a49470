"""Buttons inside the check-in's views: "Use last month's text" under a section, and "Back"
from the confirmation of implausible figures to the form. Both keep what was typed in the
draft first and replace the view, so nothing is lost."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient

from bot.blocks.modal import next_version
from bot.deps import Deps
from bot.form.handlers import form_view, keep_draft
from bot.form.state import read_state
from bot.ids import FormRef
from summaries.checkins.forms import SECTION, field_id
from summaries.checkins.lastmonth import last_month_texts
from summaries.periods import Month


def handle_last_text(deps: Deps, body: dict[str, Any], client: WebClient) -> None:
    """Copy last month's submitted answer of the button's section into the form: the typing
    so far and that text go into the draft (the server reads the text, whatever the button
    says), and the same step is shown again from it."""
    view, user = body["view"], body["user"]["id"]
    ref = FormRef.loads(view.get("private_metadata", ""))
    section = str(body["actions"][0].get("value", ""))
    with deps.read_only() as session:
        texts = last_month_texts(session, Month.parse(ref.period), ref.department)
    typed = read_state(view)
    if section in texts:
        typed[field_id(SECTION, section)] = texts[section]
    keep_draft(deps, ref, user, typed)  # checks the user may fill this department in
    client.views_update(view_id=view["id"], hash=view.get("hash"),
                        view=form_view(deps, ref.period, ref.department, user, ref.step,
                                       version=next_version(view)))


def handle_plausible_back(deps: Deps, body: dict[str, Any], client: WebClient) -> None:
    """From the confirmation back to the form's step it came from, pre-filled from the draft
    the confirmation kept."""
    view, user = body["view"], body["user"]["id"]
    ref = FormRef.loads(str(body["actions"][0].get("value", "")))
    client.views_update(view_id=view["id"], hash=view.get("hash"),
                        view=form_view(deps, ref.period, ref.department, user, ref.step))
