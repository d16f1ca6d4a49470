"""Route the check-in buttons: open the form, and step back in it."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.form.opening import handle_back, handle_open
from bot.ids import BACK_ACTION, OPEN_ACTION


def register(app: App, deps: Deps) -> None:
    """Listen for the check-in buttons."""

    @app.action(re.compile(rf"^{OPEN_ACTION}(:\d+)?$"))
    def open_form(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        handle_open(deps, body, client)

    @app.action(BACK_ACTION)
    def step_back(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        handle_back(deps, body, client)
