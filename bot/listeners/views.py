"""Route the check-in modal's submissions and closes."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.form.submitting import close_form, handle_submit
from bot.ids import CALLBACK_ID


def register(app: App, deps: Deps) -> None:
    """Listen for the check-in modal's submissions and closes."""

    @app.view(CALLBACK_ID)
    def submitted(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        handle_submit(deps, ack, body, client)

    @app.view_closed(CALLBACK_ID)
    def closed(ack: Ack, body: dict[str, Any]) -> None:
        close_form(deps, ack, body)
