"""Slash commands as a person types them, for the end-to-end tests: send, then read the answer."""

from __future__ import annotations

from typing import Any

from tests.slackstandin import check_message
from tests.support.botkit import Bot


def ask(bot: Bot, user: str, command: str, text: str = "") -> dict[str, Any]:
    """Run ``command text`` as ``user``; the message they see, from the acknowledgement or
    else from the response URL (checked like Slack would check it, and ephemeral)."""
    reply = bot.driver.command(user, command, text)
    assert reply.status == 200, reply.body
    if reply.json:
        message = reply.json
        assert message.get("response_type", "ephemeral") == "ephemeral"
    else:
        assert reply.response_url is not None
        [call] = bot.slack.wait_for_response(reply.response_url)
        assert call.ok, call.error
        message = call.params
        assert message["response_type"] == "ephemeral"
    assert check_message(message) == [], check_message(message)
    return message


def follow_up(bot: Bot, user: str, command: str, text: str = "", *,
              timeout: float = 10.0) -> tuple[dict[str, Any], dict[str, Any]]:
    """A command acknowledged with a note and answered later: (the note, the answer)."""
    reply = bot.driver.command(user, command, text)
    assert reply.status == 200, reply.body
    assert reply.json, "expected a note in the acknowledgement"
    assert reply.response_url is not None
    [call] = bot.slack.wait_for_response(reply.response_url, timeout=timeout)
    assert check_message(call.params) == []
    return reply.json, call.params
