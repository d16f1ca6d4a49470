"""Route the asks of leadership: the buttons, menus and person pickers on an ask, and the
submissions of its modals. A click is acknowledged first; the work follows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.asks.clicks import (
    handle_acknowledge,
    handle_answer,
    handle_assign_pick,
    handle_full,
    handle_menu,
)
from bot.asks.submits import handle_answer_submit, handle_assign_submit
from bot.deps import Deps
from bot.ids import (
    ASK_ACKNOWLEDGE,
    ASK_ANSWER,
    ASK_ANSWER_CALLBACK,
    ASK_ASSIGN,
    ASK_ASSIGN_CALLBACK,
    ASK_FULL,
    ASK_MENU,
)


def register(app: App, deps: Deps) -> None:
    """Listen for what is done to an ask."""
    clicks: dict[str, Click] = {ASK_ACKNOWLEDGE: handle_acknowledge, ASK_ANSWER: handle_answer,
              ASK_ASSIGN: handle_assign_pick, ASK_MENU: handle_menu, ASK_FULL: handle_full}
    for action_id, handler in clicks.items():
        app.action(action_id)(_after_ack(deps, handler))

    @app.view(ASK_ANSWER_CALLBACK)
    def answered(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        handle_answer_submit(deps, ack, body, client)

    @app.view(ASK_ASSIGN_CALLBACK)
    def assigned(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        handle_assign_submit(deps, ack, body, client)


Click = Callable[[Deps, dict[str, Any], WebClient], None]


def _after_ack(deps: Deps, handler: Click) -> Callable[[Ack, dict[str, Any], WebClient], None]:
    """A listener that acknowledges the click, then hands it to ``handler``."""

    def listener(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        handler(deps, body, client)

    return listener
