"""Clicks on an ask in the digest or a DM (SPEC 5.2), each after Slack's acknowledgement:
acknowledge and assign act at once; "Reply or decide" and the header's "Assign…" open a
modal; "Show full text" opens the whole ask for anyone. Whoever may not act gets a polite
word only they see, and nothing changes."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.asks.acting import act, after_change, department_name, find_ask, month_name
from bot.blocks.askmodals import answer_view, assign_view, full_view
from bot.blocks.asks import (
    MENU_ACKNOWLEDGE,
    MENU_ANSWER,
    MENU_ASSIGN,
    ask_id_of_block,
    read_menu_value,
)
from bot.blocks.common import escape
from bot.dedupe import first_time
from bot.deps import Deps
from summaries.checkins.asks import ended_message
from summaries.engine.asks import Ask, AskAction
from summaries.errors import DomainError, ValidationFailed
from summaries.i18n import N_, _
from summaries.store.types import utcnow

log = logging.getLogger(__name__)
NOT_OURS = N_("This button is not one of ours any more; nothing was changed.")
ANSWER_REFUSED = N_("Sorry, only leaders and admins (or the person an ask is assigned to) can "
                    "reply to or decide an ask of leadership. Nothing was changed.")
ASSIGN_REFUSED = N_("Sorry, only leaders and admins can assign an ask of leadership. Nothing "
                    "was changed.")
ViewBuilder = Callable[..., dict[str, Any]]


def handle_acknowledge(deps: Deps, body: dict[str, Any], client: WebClient) -> None:
    """The Acknowledge button: act at once (a second click changes nothing)."""
    ask_id = _button_ask(body)
    if ask_id is None:
        refuse(client, body, _(NOT_OURS))
        return
    run(deps, client, body, ask_id, AskAction.ACKNOWLEDGE)


def handle_assign_pick(deps: Deps, body: dict[str, Any], client: WebClient) -> None:
    """A person picked in the thread's "Assign to…": assign at once."""
    picked = body["actions"][0]
    try:
        ask_id = ask_id_of_block(str(picked.get("block_id", "")))
    except ValueError:
        refuse(client, body, _(NOT_OURS))
        return
    run(deps, client, body, ask_id, AskAction.ASSIGN, assignee=picked.get("selected_user"))


def handle_answer(deps: Deps, body: dict[str, Any], client: WebClient) -> None:
    """"Reply or decide": open the modal for whoever may answer the ask."""
    _button_modal(deps, body, client, answer_view)


def handle_full(deps: Deps, body: dict[str, Any], client: WebClient) -> None:
    """"Show full text": the whole ask and its history, for anyone."""
    _button_modal(deps, body, client, full_view)


def _button_modal(deps: Deps, body: dict[str, Any], client: WebClient,
                  view: ViewBuilder) -> None:
    ask_id = _button_ask(body)
    if ask_id is None:
        refuse(client, body, _(NOT_OURS))
        return
    open_modal(deps, client, body, ask_id, view)


def handle_menu(deps: Deps, body: dict[str, Any], client: WebClient) -> None:
    """The header's menu on an ask: the option chosen says what to do."""
    chosen = (body["actions"][0].get("selected_option") or {}).get("value", "")
    try:
        verb, ask_id = read_menu_value(str(chosen))
    except ValueError:
        refuse(client, body, _(NOT_OURS))
        return
    if verb == MENU_ACKNOWLEDGE:
        run(deps, client, body, ask_id, AskAction.ACKNOWLEDGE)
        return
    build = {MENU_ANSWER: answer_view, MENU_ASSIGN: assign_view}.get(verb, full_view)
    open_modal(deps, client, body, ask_id, build)


def run(deps: Deps, client: WebClient, body: dict[str, Any], ask_id: int, action: AskAction,
        *, assignee: str | None = None) -> None:
    """Act on the ask for the clicking person, then tell and update; a refusal or a reason
    it cannot be done goes to the clicking person only."""
    try:
        outcome = act(deps, ask_id=ask_id, user=body["user"]["id"], action=action,
                      assignee=assignee)
    except ValidationFailed as exc:
        refuse(client, body, " ".join(exc.errors.values()))
        return
    except DomainError as exc:  # PermissionDenied among them
        refuse(client, body, str(exc))
        return
    after_change(deps, outcome)


def open_modal(deps: Deps, client: WebClient, body: dict[str, Any], ask_id: int,
               build: ViewBuilder) -> None:
    """Open one of the ask's modals on the click's trigger, if the person may use it (the
    full text is for anyone); the submission is checked again."""
    user = body["user"]["id"]
    try:
        ask = find_ask(deps, ask_id)
    except DomainError as exc:
        refuse(client, body, str(exc))
        return
    refusal = _may_not(deps, ask, user, build)
    if refusal is not None:
        refuse(client, body, refusal)
        return
    if deps.double_click > 0:
        with deps.unit_of_work() as session:  # two quick clicks open one modal
            key = ":".join(("ask-open", user, str(ask_id), build.__name__))
            if not first_time(session, key, utcnow(), timedelta(seconds=deps.double_click)):
                return
    view = build(ask, department_name(deps, ask), month_name(deps, ask), deps.locale,
                 deps.config.organization.timezone)
    client.views_open(trigger_id=body["trigger_id"], view=view)


def _may_not(deps: Deps, ask: Ask, user: str, build: ViewBuilder) -> str | None:
    """Why ``user`` may not open this modal on ``ask`` (None: they may). A quick look so that
    nobody fills in a modal for nothing; the domain decides at submission."""
    if build is full_view:
        return None
    if not ask.live:
        return ended_message(ask.state)
    if deps.config.is_leader(user):
        return None
    if build is answer_view:
        return None if user == ask.assignee else _(ANSWER_REFUSED)
    return _(ASSIGN_REFUSED)


def _button_ask(body: dict[str, Any]) -> int | None:
    """The ask id a button carries as its value; None when it is not a number."""
    try:
        return int(str(body["actions"][0].get("value", "")))
    except ValueError:
        return None


def refuse(client: WebClient, body: dict[str, Any], text: str) -> None:
    """Say ``text`` to the clicking person only: ephemeral where they clicked, in the thread
    of the message clicked, or by DM when there is no channel (or it refuses)."""
    user = body["user"]["id"]
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
        "channel_id")
    message = body.get("message") or {}
    if channel:
        thread = message.get("thread_ts")
        try:
            client.chat_postEphemeral(channel=channel, user=user, text=escape(text),
                                      **({"thread_ts": thread} if thread else {}))
            return
        except SlackApiError as exc:
            log.info("could not answer %s in %s (%s); telling them by DM", user, channel,
                     exc.response.get("error"))
    client.chat_postMessage(channel=user, text=escape(text))
