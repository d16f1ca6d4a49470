"""The submissions of an ask's modals (SPEC 5.2): reply or decide, and assign.

The clicker's permission is checked again here (by the domain), whatever the modal said. A
mistake is shown under its field with everything typed kept; a refusal replaces the modal; a
second submission of the same modal acts once. The change is stored before Slack's
acknowledgement when the database is quick; telling people and updating the digest follow it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.asks.acting import act, after_change
from bot.blocks.askmodals import ASSIGNEE_BLOCK, OUTCOME_BLOCK, OUTCOMES, TEXT_BLOCK
from bot.blocks.modal import busy_view, input_fields, notice_view, restore_view
from bot.budget import within
from bot.deps import Deps
from summaries.checkins.asks import AskOutcome
from summaries.engine.asks import AskAction
from summaries.errors import DomainError, ValidationFailed
from summaries.i18n import N_, _

log = logging.getLogger(__name__)
TITLE = N_("Ask of leadership")
NOT_OURS = N_("This window is out of date; nothing was changed. Open the ask again from the "
              "digest.")
TRY_AGAIN = N_("We could not save this just now. Everything you typed is still here: press the "
               "button again in a moment.")
DONE = N_("Done: the digest and the department's manager are being updated.")
ANSWERS = frozenset(action for action, _label in OUTCOMES)


def handle_answer_submit(deps: Deps, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    """Reply only (the ask stays open), decide or decline, with the words typed."""
    view, user = body["view"], body["user"]["id"]
    ask_id = _ask_id(view)
    chosen = (_entry(view, OUTCOME_BLOCK).get("selected_option") or {}).get("value")
    action = AskAction(chosen) if chosen in ANSWERS else None
    if ask_id is None or action is None:
        ack(response_action="update", view=notice_view(_(TITLE), _(NOT_OURS)))
        return
    text = _entry(view, TEXT_BLOCK).get("value")
    _submit(deps, ack, client, body, lambda: act(
        deps, ask_id=ask_id, user=user, action=action, text=text, once=view["id"]))


def handle_assign_submit(deps: Deps, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    """Assign the ask to the person picked."""
    view, user = body["view"], body["user"]["id"]
    ask_id = _ask_id(view)
    if ask_id is None:
        ack(response_action="update", view=notice_view(_(TITLE), _(NOT_OURS)))
        return
    picked = _entry(view, ASSIGNEE_BLOCK).get("selected_user")
    _submit(deps, ack, client, body, lambda: act(
        deps, ask_id=ask_id, user=user, action=AskAction.ASSIGN, assignee=picked,
        once=view["id"]))


def _submit(deps: Deps, ack: Ack, client: WebClient, body: dict[str, Any],
            work: Callable[[], AskOutcome]) -> None:
    """Act within the acknowledgement's budget and answer with the outcome; past the budget,
    a placeholder first, replaced when the work is done."""
    view = body["view"]
    attempt = within(deps.executor, deps.ack_budget, work)
    if not attempt.in_time:
        ack(response_action="update", view=busy_view(_("Saving\u2026")))
        try:
            outcome = attempt.result()
        except Exception as exc:
            client.views_update(view_id=view["id"], view=_restored(view, exc))
            return
        client.views_update(view_id=view["id"], view=notice_view(_(TITLE), _(DONE)))
        after_change(deps, outcome)
        return
    try:
        outcome = attempt.result()
    except Exception as exc:
        ack(**_refusal(view, exc))
        return
    ack()
    after_change(deps, outcome)


def _refusal(view: dict[str, Any], exc: Exception) -> dict[str, Any]:
    """The acknowledgement for a submission that did nothing: a mistake under its field (the
    modal stays, as typed), a refusal or a reason in place of the modal."""
    if isinstance(exc, ValidationFailed):
        here = {field: message for field, message in exc.errors.items()
                if field in input_fields(view)}
        if here:
            return {"response_action": "errors", "errors": here}
    if isinstance(exc, DomainError):
        return {"response_action": "update", "view": notice_view(_(TITLE), str(exc))}
    log.error("acting on an ask failed", exc_info=exc)
    fields = input_fields(view)
    return {"response_action": "errors", "errors": {fields[-1]: _(TRY_AGAIN)}}


def _restored(view: dict[str, Any], exc: Exception) -> dict[str, Any]:
    """After a placeholder: the modal again, as typed, with what went wrong on top."""
    if isinstance(exc, ValidationFailed):
        message = " ".join(exc.errors.values())
    elif isinstance(exc, DomainError):
        return notice_view(_(TITLE), str(exc))
    else:
        log.error("acting on an ask failed", exc_info=exc)
        message = _(TRY_AGAIN)
    return restore_view(view, {TEXT_BLOCK: _entry(view, TEXT_BLOCK).get("value")}, message)


def _entry(view: dict[str, Any], block: str) -> dict[str, Any]:
    """The submitted state of the input ``block`` (its action id is the same)."""
    values = (view.get("state") or {}).get("values") or {}
    entry = (values.get(block) or {}).get(block)
    return entry if isinstance(entry, dict) else {}


def _ask_id(view: dict[str, Any]) -> int | None:
    try:
        return int(str(view.get("private_metadata", "")))
    except ValueError:
        return None
