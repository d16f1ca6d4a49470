"""The Bolt app: every listener registered, signatures always checked, one error handler."""

from __future__ import annotations

import logging
import random
from typing import Any

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient

from bot.budget import within
from bot.deps import Deps
from bot.listeners import actions, events, views
from bot.notices import tell
from summaries.errors import DomainError
from summaries.received import first_time, forget_old

log = logging.getLogger(__name__)
# Share of first deliveries that also clear out deliveries older than a day.
FORGET_SHARE = 0.01
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

    @app.middleware
    def once_per_event(body: dict[str, Any], next: Any) -> BoltResponse | None:
        if body.get("type") == "event_callback" and body.get("event_id") \
                and not _first_delivery(deps, str(body["event_id"])):
            log.info("event %s delivered again; already handled", body["event_id"])
            return BoltResponse(status=200, body="")
        next()
        return None

    actions.register(app, deps)
    views.register(app, deps)
    events.register(app, deps)

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


def _first_delivery(deps: Deps, event_id: str) -> bool:
    """Record the event; a slow database counts as a first delivery rather than delay the ack."""
    def claim() -> bool:
        now = deps.clock()
        with deps.unit_of_work() as session:
            fresh = first_time(session, f"event:{event_id}", now)
            if fresh and random.random() < FORGET_SHARE:  # now and then, forget old ones
                forget_old(session, now)
            return fresh

    attempt = within(deps.executor, deps.ack_budget / 2, claim)
    if not attempt.in_time:
        return True
    try:
        return attempt.result()
    except Exception:
        log.exception("could not record event %s", event_id)
        return True
