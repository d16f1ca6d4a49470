"""Route the check-in modal's submissions and closes, and the confirmation of implausible
figures ("Submit anyway")."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.commands.away import handle_skip_submit
from bot.deps import Deps
from bot.form.submitting import close_form, handle_confirmed, handle_submit
from bot.ids import CALLBACK_ID, PLAUSIBLE_CALLBACK, SKIP_CALLBACK


def register(app: App, deps: Deps) -> None:
    """Listen for the check-in modal's submissions and closes."""

    @app.view(CALLBACK_ID)
    def submitted(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        handle_submit(deps, ack, body, client)

    @app.view_closed(CALLBACK_ID)
    def closed(ack: Ack, body: dict[str, Any]) -> None:
        close_form(deps, ack, body)

    @app.view(PLAUSIBLE_CALLBACK)
    def confirmed(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        handle_confirmed(deps, ack, body, client)

    @app.view(SKIP_CALLBACK)
    def nothing_to_report(ack: Ack, body: dict[str, Any]) -> None:
        handle_skip_submit(deps, ack, body)
