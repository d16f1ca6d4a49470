"""Slash commands: ``/kpi`` looks figures up, ``/checkin`` runs the check-in (SPEC section 5)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltResponse
from slack_sdk import WebClient

from bot.blocks.admin import one_line
from bot.commands.checkin import handle_checkin_command
from bot.commands.kpi import handle_kpi_command
from bot.deps import Deps
from bot.ids import CHECKIN_COMMAND, KPI_COMMAND
from bot.throttle import too_fast

# Every slash command the app answers; the Slack app manifest must list exactly these.
COMMANDS = (KPI_COMMAND, CHECKIN_COMMAND)


def register(app: App, deps: Deps) -> None:
    """Listen for the slash commands, each person within their limit."""
    limit = [per_person_limit(deps)]

    @app.command(KPI_COMMAND, middleware=limit)
    def kpi(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        handle_kpi_command(deps, ack, body, client)

    @app.command(CHECKIN_COMMAND, middleware=limit)
    def checkin(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        handle_checkin_command(deps, ack, body, client)


def per_person_limit(deps: Deps) -> Callable[..., BoltResponse | None]:
    """Listener middleware: a person beyond their limit is asked to wait, in the ack itself.

    Bolt runs listener middleware on the request's own thread, so this answer needs none of
    Bolt's few listener threads, and no database or chart work is done for it.
    """

    def within_limit(ack: Ack, body: dict[str, Any],
                     next_: Callable[[], None]) -> BoltResponse | None:
        wait = deps.throttle.take(body["user_id"])
        if not wait:
            next_()
            return None
        return ack(response_type="ephemeral", **one_line(too_fast(wait)))

    return within_limit
