"""Shared payloads for the Slack stand-in's own tests."""

from __future__ import annotations

import json
from typing import Any

import pytest
from slack_sdk.errors import SlackApiError


def plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text}


def section(text: str, block_id: str | None = None) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "section", "text": {"type": "mrkdwn", "text": text}}
    if block_id is not None:
        block["block_id"] = block_id
    return block


def checkin_modal(**overrides: Any) -> dict[str, Any]:
    """A realistic check-in modal: summary text, a KPI number, and a select."""
    view: dict[str, Any] = {
        "type": "modal",
        "callback_id": "checkin_submit",
        "private_metadata": json.dumps({"period": "2026-01", "team": "sales"}),
        "title": plain("January check-in"),
        "submit": plain("Submit"),
        "close": plain("Cancel"),
        "blocks": [
            {"type": "header", "text": plain("Sales — January 2026")},
            section("*Targets*: revenue 5,000 EUR", block_id="intro"),
            {"type": "divider"},
            {
                "type": "input",
                "block_id": "summary",
                "label": plain("How did the month go?"),
                "element": {
                    "type": "plain_text_input",
                    "action_id": "summary_text",
                    "multiline": True,
                    "max_length": 3000,
                    "initial_value": "Going well",
                    "placeholder": plain("A few sentences"),
                },
            },
            {
                "type": "input",
                "block_id": "revenue",
                "label": plain("Revenue (EUR)"),
                "hint": plain("Whole euros"),
                "optional": True,
                "element": {
                    "type": "number_input",
                    "action_id": "revenue_value",
                    "is_decimal_allowed": False,
                    "min_value": "0",
                },
            },
            {
                "type": "input",
                "block_id": "mood",
                "label": plain("Mood"),
                "element": {
                    "type": "static_select",
                    "action_id": "mood_pick",
                    "options": [
                        {"text": plain("Good"), "value": "good"},
                        {"text": plain("Bad"), "value": "bad"},
                    ],
                },
            },
            {"type": "context", "elements": [{"type": "mrkdwn", "text": "Due Friday"}]},
        ],
    }
    view.update(overrides)
    return view


def reminder_blocks() -> list[dict[str, Any]]:
    return [
        section("Time for your *January* check-in.", block_id="reminder"),
        {
            "type": "actions",
            "block_id": "reminder_actions",
            "elements": [
                {
                    "type": "button",
                    "action_id": "open_checkin",
                    "text": plain("Start check-in"),
                    "value": "2026-01",
                    "style": "primary",
                },
                {"type": "button", "action_id": "snooze", "text": plain("Later"), "value": "1d"},
            ],
        },
    ]


def slack_error(excinfo: pytest.ExceptionInfo[SlackApiError]) -> str:
    return str(excinfo.value.response["error"])


