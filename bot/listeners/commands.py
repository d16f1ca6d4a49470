"""Slash commands: ``/kpi`` looks figures up, ``/checkin`` runs the check-in (SPEC section 5)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.blocks.admin import refusal
from bot.commands.checkin import CHECKIN_COMMAND, handle_checkin_command
from bot.commands.kpi import KPI_COMMAND, handle_kpi_command
from bot.deps import Deps
from bot.throttle import too_fast

# Every slash command the app answers; the Slack app manifest must list exactly these.
COMMANDS = (KPI_COMMAND, CHECKIN_COMMAND)


def register(app: App, deps: Deps) -> None:
    """Listen for the slash commands."""

    @app.command(KPI_COMMAND)
    def kpi(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        if admitted(deps, ack, body):
            handle_kpi_command(deps, ack, body, client)

    @app.command(CHECKIN_COMMAND)
    def checkin(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        if admitted(deps, ack, body):
            handle_checkin_command(deps, ack, body, client)


def admitted(deps: Deps, ack: Ack, body: dict[str, Any]) -> bool:
    """Whether the person is within their limit; if not, the acknowledgement asks them to wait
    (before any database or chart work)."""
    wait = deps.throttle.take(body["user_id"])
    if wait:
        ack(response_type="ephemeral", **refusal(too_fast(wait)))
    return not wait
