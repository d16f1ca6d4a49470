"""The Bolt app: every listener registered, signatures always checked, one error handler."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.listeners import actions, commands, events, views
from bot.notices import tell
from summaries.errors import DomainError

log = logging.getLogger(__name__)
SORRY = ("Something went wrong on our side and it has been logged. Nothing you saved is lost; "
         "please try again in a minute.")


def create_app(deps: Deps) -> App:
    """The Slack app with every listener; refuses to exist without a signing secret."""
    if not deps.settings.slack_signing_secret:
        raise ValueError("SLACK_SIGNING_SECRET is not set: requests from Slack cannot be "
                         "verified, so the bot will not start")
    app = App(client=deps.client, signing_secret=deps.settings.slack_signing_secret,
              token_verification_enabled=False, request_verification_enabled=True,
              process_before_response=False, logger=logging.getLogger("bot.slack"))

    actions.register(app, deps)
    views.register(app, deps)
    events.register(app, deps)
    commands.register(app, deps)

    @app.error
    def on_error(error: Exception, body: dict[str, Any], client: WebClient) -> None:
        if isinstance(error, DomainError):
            message = str(error)
        else:
            log.error("a %s request failed", body.get("type", "Slack"), exc_info=error)
            message = SORRY
        try:
            tell(client, deps.settings.slack_api_url, body, message)
        except Exception:
            log.exception("could not tell the user about an error")

    return app

