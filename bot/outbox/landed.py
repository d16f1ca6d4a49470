"""Find out whether a post whose outcome is unknown reached Slack after all.

A timeout, a 5xx or a crash between Slack's answer and our bookkeeping leaves a post in doubt:
Slack may or may not have shown it. Each post carries message metadata naming its outbox key
(a chart is known by its title), so the conversation's recent history answers the question
before anything is sent again.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from bot.ids import OUTBOX_EVENT
from bot.outbox.sender import Sender

PAGE_SIZE = 200
MAX_PAGES = 10  # a post in doubt is recent: it is among the last 2,000 messages


def outbox_metadata(key: str) -> dict[str, Any]:
    """The metadata that lets a post be recognised in the conversation's history."""
    return {"event_type": OUTBOX_EVENT, "event_payload": {"key": key}}


def find_landed(deps: Sender, method: str, payload: dict[str, Any]) -> tuple[str, str] | None:
    """The (channel, ts) of the post if Slack has it, else None; raises if Slack can't tell."""
    channel = conversation_id(deps, str(payload.get("channel") or ""))
    thread = payload.get("thread_ts")
    for message in _messages(deps, channel, str(thread) if thread else None):
        if _same_post(method, payload, message):
            return channel, str(message["ts"])
    return None


def conversation_id(deps: Sender, channel: str) -> str:
    """A conversation id for reading history: a user id becomes the bot's DM with them."""
    if not channel or channel[0] not in "UW":
        return channel
    deps.pacer.wait("conversations.open")
    response = deps.poster.api_call("conversations.open", json={"users": channel})
    return str(response["channel"]["id"])


def _messages(deps: Sender, channel: str, thread: str | None) -> Iterator[dict[str, Any]]:
    cursor: str | None = None
    for _ in range(MAX_PAGES):
        if thread:
            deps.pacer.wait("conversations.replies")
            response = deps.poster.conversations_replies(
                channel=channel, ts=thread, limit=PAGE_SIZE, cursor=cursor,
                include_all_metadata=True)
        else:
            deps.pacer.wait("conversations.history")
            response = deps.poster.conversations_history(
                channel=channel, limit=PAGE_SIZE, cursor=cursor, include_all_metadata=True)
        yield from response.get("messages") or []
        cursor = (response.get("response_metadata") or {}).get("next_cursor")
        if not response.get("has_more") or not cursor:
            return


def _same_post(method: str, payload: dict[str, Any], message: dict[str, Any]) -> bool:
    if method == "files.upload_v2":
        return any(f.get("title") == payload.get("title") for f in message.get("files") or [])
    wanted = payload.get("metadata")
    return wanted is not None and message.get("metadata") == wanted
