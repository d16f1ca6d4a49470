"""Events: App Home opened, a file shared with the bot. Slack may deliver an event again; each
has one effect."""

from __future__ import annotations

import logging
import random
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.dedupe import first_time, forget_old
from bot.deps import Deps
from bot.home import publish_home
from bot.uploads.figures import handle_file_shared

log = logging.getLogger(__name__)
# Share of first deliveries that also clear out deliveries older than a day.
FORGET_SHARE = 0.01
APP_HOME_OPENED = "app_home_opened"
FILE_SHARED = "file_shared"  # a manager's figures as a spreadsheet, by direct message
# Every event the app subscribes to; the Slack app manifest must list exactly these.
EVENTS = (APP_HOME_OPENED, FILE_SHARED)


def register(app: App, deps: Deps) -> None:
    """Listen for the events the app subscribes to."""

    @app.event(APP_HOME_OPENED)
    def home_opened(body: dict[str, Any], event: dict[str, Any]) -> None:
        if event.get("tab", "home") == "home" and first_delivery(deps, body):
            publish_home(deps, event["user"])

    @app.event(FILE_SHARED)
    def file_shared(body: dict[str, Any], event: dict[str, Any], client: WebClient) -> None:
        if first_delivery(deps, body):
            handle_file_shared(deps, event, client)


def first_delivery(deps: Deps, body: dict[str, Any]) -> bool:
    """Record the event's id; False when it was handled before (a retry by Slack).

    Events are acknowledged before their listener runs, so this costs the ack nothing.
    """
    event_id = body.get("event_id")
    if not event_id:
        return True
    now = deps.clock()
    with deps.unit_of_work() as session:
        fresh = first_time(session, f"event:{event_id}", now)
        if fresh and random.random() < FORGET_SHARE:
            forget_old(session, now)
    if not fresh:
        log.info("event %s delivered again; already handled", event_id)
    return fresh
