"""Route the check-in buttons: open the form, step back in it, bring last month's text into a
section, and return from the confirmation of implausible figures."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.commands.away import open_skip_modal
from bot.deps import Deps
from bot.form.buttons import handle_last_text, handle_plausible_back
from bot.form.opening import handle_back, handle_open
from bot.ids import BACK_ACTION, LAST_TEXT_ACTION, OPEN_ACTION, PLAUSIBLE_BACK, SKIP_ACTION


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

    @app.action(LAST_TEXT_ACTION)
    def last_text(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        handle_last_text(deps, body, client)

    @app.action(PLAUSIBLE_BACK)
    def back_to_form(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        handle_plausible_back(deps, body, client)

    @app.action(re.compile(rf"^{SKIP_ACTION}(:\d+)?$"))
    def nothing_to_report(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        open_skip_modal(deps, body, client)
