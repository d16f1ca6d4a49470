"""conversations.history and conversations.replies over the stored messages, paged like Slack."""

from __future__ import annotations

import base64
import binascii
from decimal import Decimal
from typing import Any

from tests.slackstandin.state import (
    BOT_USER_ID,
    Params,
    SlackError,
    SlackState,
    flag,
    ts_value,
)

HISTORY_LIMIT = 100
REPLIES_LIMIT = 1000
MAX_LIMIT = 1000


def _cursor(ts: str) -> str:
    return base64.b64encode(f"next_ts:{ts}".encode()).decode()


def _cursor_ts(cursor: Any) -> Decimal | None:
    if not cursor:
        return None
    try:
        decoded = base64.b64decode(str(cursor), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise SlackError("invalid_cursor") from None
    prefix, _, ts = decoded.partition(":")
    if prefix != "next_ts" or not ts:
        raise SlackError("invalid_cursor")
    return ts_value(ts)


def _limit(params: Params, default: int) -> int:
    raw = params.get("limit")
    if raw in (None, ""):
        return default
    try:
        limit = int(raw)
    except (TypeError, ValueError):
        raise SlackError("invalid_limit") from None
    if limit < 0:
        raise SlackError("invalid_limit")
    return min(limit or default, MAX_LIMIT)


def _in_window(ts: Decimal, params: Params) -> bool:
    """Whether `ts` lies between `oldest` and `latest` (inclusive only when asked)."""
    inclusive = flag(params.get("inclusive"))
    oldest = params.get("oldest")
    latest = params.get("latest")
    if oldest not in (None, ""):
        low = ts_value(oldest, "oldest")
        if ts < low or (ts == low and not inclusive):
            return False
    if latest not in (None, ""):
        high = ts_value(latest, "latest")
        if ts > high or (ts == high and not inclusive):
            return False
    return True


def _page(
    found: list[dict[str, Any]], params: Params, default: int, *, newest_first: bool
) -> tuple[list[dict[str, Any]], Params]:
    """One page of `found` (already in answer order) from the cursor; its paging fields."""
    start = _cursor_ts(params.get("cursor"))
    if start is not None:
        if newest_first:
            found = [m for m in found if ts_value(m["ts"]) <= start]
        else:
            found = [m for m in found if ts_value(m["ts"]) >= start]
    limit = _limit(params, default)
    page, rest = found[:limit], found[limit:]
    more: Params = {"has_more": bool(rest)}
    more["response_metadata"] = {"next_cursor": _cursor(rest[0]["ts"]) if rest else ""}
    return page, more


class HistoryMethods(SlackState):
    """conversations.history and conversations.replies."""

    def _conversation(self, params: Params) -> str:
        channel = params.get("channel")
        if not isinstance(channel, str) or not channel:
            raise SlackError("channel_not_found")
        if channel[0] not in "CDG":  # A user id is not a conversation: open the DM first.
            raise SlackError("channel_not_found")
        return channel

    def _replies_to(self, channel: str, ts: str) -> list[dict[str, Any]]:
        return [m for m in self.messages if m["channel"] == channel and m["thread_ts"] == ts]

    def _history_message(self, stored: dict[str, Any], with_metadata: bool) -> dict[str, Any]:
        """A stored message as history/replies show it (thread fields, metadata on request)."""
        message = self._as_message(stored)
        if not with_metadata:
            message.pop("metadata", None)
        if stored["thread_ts"] is not None:
            message["parent_user_id"] = BOT_USER_ID
            return message
        replies = self._replies_to(stored["channel"], stored["ts"])
        if replies:
            message.update(
                thread_ts=stored["ts"],
                reply_count=len(replies),
                reply_users=[BOT_USER_ID],
                reply_users_count=1,
                latest_reply=replies[-1]["ts"],
            )
        return message

    def history(self, params: Params) -> Params:
        """conversations.history"""
        channel = self._conversation(params)
        found = [
            m
            for m in self.messages
            if m["channel"] == channel
            and m["thread_ts"] is None
            and _in_window(ts_value(m["ts"]), params)
        ]
        found.sort(key=lambda m: ts_value(m["ts"]), reverse=True)
        page, more = _page(found, params, HISTORY_LIMIT, newest_first=True)
        with_metadata = flag(params.get("include_all_metadata"))
        messages = [self._history_message(m, with_metadata) for m in page]
        return {"messages": messages, "pin_count": 0, **more}

    def replies(self, params: Params) -> Params:
        """conversations.replies"""
        channel = self._conversation(params)
        ts = params.get("ts")
        if not ts:
            raise SlackError("invalid_arguments", detail="ts is required")
        stored = self._find(channel, str(ts))
        if stored is None:
            raise SlackError("thread_not_found")
        parent = stored if stored["thread_ts"] is None else self._find(channel, stored["thread_ts"])
        if parent is None:
            raise SlackError("thread_not_found")
        thread = [parent, *self._replies_to(channel, parent["ts"])]
        found = [m for m in thread if _in_window(ts_value(m["ts"]), params)]
        found.sort(key=lambda m: ts_value(m["ts"]))
        page, more = _page(found, params, REPLIES_LIMIT, newest_first=False)
        with_metadata = flag(params.get("include_all_metadata"))
        return {"messages": [self._history_message(m, with_metadata) for m in page], **more}
