"""Open the check-in form from a button or a command: a notice instead when it cannot open,
a placeholder first when it is slow to build; the back button's step."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from slack_sdk import WebClient

from bot.blocks.modal import busy_view, notice_view
from bot.budget import within
from bot.dedupe import first_time
from bot.deps import Deps
from bot.form.handlers import form_view, keep_draft
from bot.form.state import read_state
from bot.ids import FormRef, read_open_value
from summaries.errors import DomainError
from summaries.i18n import _
from summaries.store.types import utcnow

log = logging.getLogger(__name__)
# Share of the acknowledgement budget the form may take before a placeholder opens instead
# (the trigger id expires 3 s after the click).
OPEN_SHARE = 0.75


def handle_open(deps: Deps, body: dict[str, Any], client: WebClient) -> None:
    """Open the form for the button's department, if the clicking user may fill it in."""
    user, trigger = body["user"]["id"], body["trigger_id"]
    value = body["actions"][0].get("value", "")
    try:
        period, department = read_open_value(value)
    except ValueError:
        client.views_open(trigger_id=trigger, view=notice_view(
            _("Monthly check-in"),
            _("This button is not one of ours any more; use the App Home.")))
        return
    with deps.unit_of_work() as session:
        if deps.double_click > 0 and not first_time(
                session, f"open:{user}:{value}", utcnow(), timedelta(seconds=deps.double_click)):
            log.info("ignored a double click by %s on %s", user, value)
            return
    open_form(deps, client, trigger, user, period, department)


def open_form(deps: Deps, client: WebClient, trigger: str, user: str, period: str,
              department: str) -> None:
    """Open the check-in form on ``trigger``; a "Loading" view first if it is slow to build,
    a notice instead if it cannot open (not the user's department, period closed)."""
    attempt = within(deps.executor, deps.ack_budget * OPEN_SHARE,
                     lambda: form_view(deps, period, department, user))
    if attempt.in_time:
        show(client, trigger, attempt.future)
        return
    opened = client.views_open(trigger_id=trigger, view=busy_view(_("Loading your form\u2026")))
    view_id = opened["view"]["id"]
    try:
        client.views_update(view_id=view_id, view=attempt.result())
    except DomainError as exc:
        client.views_update(view_id=view_id, view=notice_view(_("Monthly check-in"), str(exc)))


def show(client: WebClient, trigger: str, future: Any) -> None:
    """Open the built form, or a notice saying why it cannot open."""
    try:
        view = future.result()
    except DomainError as exc:
        client.views_open(trigger_id=trigger, view=notice_view(_("Monthly check-in"), str(exc)))
        return
    client.views_open(trigger_id=trigger, view=view)


def handle_back(deps: Deps, body: dict[str, Any], client: WebClient) -> None:
    """Keep this step's typing as draft and show the previous step."""
    view = body["view"]
    user = body["user"]["id"]
    ref = FormRef.loads(view.get("private_metadata", ""))
    typed = read_state(view)
    keep_draft(deps, ref, user, typed)
    previous = FormRef.loads(body["actions"][0]["value"])
    client.views_update(view_id=view["id"], hash=view.get("hash"),
                        view=form_view(deps, ref.period, ref.department, user,
                                       previous.step))
