"""The Bolt app: every listener registered, signatures always checked, one error handler."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk import WebClient

from bot.deps import Deps
from bot.listeners import actions, asks, commands, events, views
from bot.notices import tell
from bot.people import reader_of
from summaries.errors import DomainError
from summaries.i18n import N_, _, speak_from_now

log = logging.getLogger(__name__)
SORRY = N_("Something went wrong on our side and it has been logged. Nothing you saved is "
           "lost; please try again in a minute.")


class _ClientFromToken(logging.Filter):
    """Drops Bolt's start-up warning that SLACK_BOT_TOKEN goes unused because a client was
    given: the client is built from that very token."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


def create_app(deps: Deps) -> App:
    """The Slack app with every listener; refuses to exist without a signing secret."""
    if not deps.settings.slack_signing_secret:
        raise ValueError("SLACK_SIGNING_SECRET is not set: requests from Slack cannot be "
                         "verified, so the bot will not start")
    slack_log = logging.getLogger("bot.slack")
    if not any(isinstance(f, _ClientFromToken) for f in slack_log.filters):
        slack_log.addFilter(_ClientFromToken())
    # Signatures are checked on the raw bytes by bot.gate before Bolt sees a request (Bolt's own
    # check would parse first and log rejected bodies); Socket Mode needs none.
    app = App(client=deps.client, signing_secret=deps.settings.slack_signing_secret,
              token_verification_enabled=False, request_verification_enabled=False,
              process_before_response=False, logger=slack_log,
              listener_executor=deps.listeners)

    @app.use
    def speak_to_the_reader(context: BoltContext, next_: Callable[[], None]) -> None:
        """Everything this request writes is in its reader's language (SPEC 11): the request
        runs in a context of its own (bot.server) and hands it on to its listener (ContextPool)."""
        speak_from_now(reader_of(deps, context.user_id))
        next_()

    actions.register(app, deps)
    asks.register(app, deps)
    views.register(app, deps)
    events.register(app, deps)
    commands.register(app, deps)

    @app.error
    def on_error(error: Exception, body: dict[str, Any], client: WebClient) -> None:
        if isinstance(error, DomainError):
            message = str(error)
        else:
            log.error("a %s request failed", body.get("type", "Slack"), exc_info=error)
            message = _(SORRY)
        try:
            tell(client, deps.settings.slack_api_url, body, message)
        except Exception:
            log.exception("could not tell the user about an error")

    return app

