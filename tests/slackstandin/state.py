"""The stand-in's in-memory Slack state and the helpers every Web API method shares."""

from __future__ import annotations

import copy
import re
import secrets
import time
from decimal import Decimal, InvalidOperation
from typing import Any

from tests.slackstandin.blockkit import check_message
from tests.slackstandin.blockkit_table import answer_error

TEAM_ID = "T0TEST"
BOT_USER_ID = "UBOT"
BOT_ID = "B0BOT"
APP_ID = "A0TEST"
TS_BASE = 1_767_000_000

Params = dict[str, Any]

# Slack's documented form for message metadata; `event_type` as Slack recommends (snake_case
# words, dots and dashes) and at most 255 characters.
EVENT_TYPE = re.compile(r"^[A-Za-z0-9_.-]+$")
EVENT_TYPE_MAX = 255


class SlackError(Exception):
    """Raised by a method handler to answer `{"ok": false, "error": ...}`."""

    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra


def dm_channel(user: str) -> str:
    """The stable id of the app's DM channel with `user` (e.g. U123 -> D123)."""
    return "D" + user[1:]


def resolve_channel(channel: str) -> str:
    """A channel id as chat.postMessage resolves it: a user id means the app's DM with them."""
    return dm_channel(channel) if channel[:1] in ("U", "W") else channel


def invalid_blocks(problems: list[str]) -> dict[str, Any]:
    """Slack's answer to a payload with invalid Block Kit (a surplus table: invalid_attachments)."""
    return {
        "ok": False,
        "error": answer_error(problems),
        "errors": problems,
        "response_metadata": {"messages": [f"[ERROR] {p}" for p in problems]},
    }


def raise_if(problems: list[str]) -> None:
    """Answer `invalid_blocks` (or `invalid_attachments`) when a Block Kit check found problems."""
    if problems:
        answer = invalid_blocks(problems)
        metadata = answer["response_metadata"]
        raise SlackError(answer["error"], errors=problems, response_metadata=metadata)


def check_metadata(metadata: Any) -> None:
    """Answer `invalid_metadata_format` unless `metadata` is `{event_type, event_payload}`."""
    if not isinstance(metadata, dict):
        raise SlackError("invalid_metadata_format", detail="metadata must be a JSON object")
    event_type = metadata.get("event_type")
    if not isinstance(event_type, str) or not EVENT_TYPE.match(event_type):
        raise SlackError("invalid_metadata_format", detail=f"bad event_type {event_type!r}")
    if len(event_type) > EVENT_TYPE_MAX:
        raise SlackError("invalid_metadata_format", detail="event_type is too long")
    if not isinstance(metadata.get("event_payload"), dict):
        raise SlackError("invalid_metadata_format", detail="event_payload must be an object")


def fill_ids(blocks: Any) -> None:
    """Give blocks and interactive elements the random ids Slack assigns when they are missing."""
    for block in blocks if isinstance(blocks, list) else []:
        if not isinstance(block, dict):
            continue
        block.setdefault("block_id", secrets.token_urlsafe(3))
        elements = [block.get("element"), block.get("accessory")]
        if block.get("type") == "actions":
            elements += block.get("elements") or []
        for el in elements:
            if isinstance(el, dict) and el.get("type") != "image":
                el.setdefault("action_id", secrets.token_urlsafe(3))


def ts_value(ts: Any, name: str = "ts") -> Decimal:
    """A message timestamp as a number, or `invalid_arguments`."""
    try:
        return Decimal(str(ts))
    except InvalidOperation:
        raise SlackError("invalid_arguments", detail=f"{name} must be a timestamp") from None


def flag(value: Any) -> bool:
    """A boolean argument as Slack reads it from JSON or a form (`true`, `1`)."""
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1")
    return bool(value)


class SlackState:
    """Messages, views, triggers and files, with the helpers the method handlers share."""

    def __init__(self, trigger_ttl: float) -> None:
        self.trigger_ttl = trigger_ttl
        self.messages: list[dict[str, Any]] = []
        self.ephemerals: list[dict[str, Any]] = []
        self.views: dict[str, dict[str, Any]] = {}
        # What the person last had in each open modal's inputs (see ``preserve``).
        self.typed: dict[str, dict[tuple[str, str], Any]] = {}
        self.view_users: dict[str, str | None] = {}
        self.view_log: list[tuple[str, str | None]] = []
        self.external_ids: dict[str, str] = {}
        self.homes: dict[str, dict[str, Any]] = {}
        self.triggers: dict[str, tuple[float, str | None]] = {}
        self.used_triggers: set[str] = set()
        self.files: dict[str, dict[str, Any]] = {}
        self._seq = 0

    def _next(self) -> int:
        self._seq += 1
        return self._seq

    def _ts(self) -> str:
        micros = self._next() * 100
        return f"{TS_BASE + micros // 1_000_000}.{micros % 1_000_000:06d}"

    @staticmethod
    def _hash() -> str:
        return f"{int(time.time())}.{secrets.token_hex(4)}"

    def issue_trigger(self, user: str | None) -> str:
        """A fresh trigger_id, valid once for `trigger_ttl` seconds."""
        trigger = f"{self._next()}.{TS_BASE}.{secrets.token_hex(8)}"
        self.triggers[trigger] = (time.monotonic(), user)
        return trigger

    def _use_trigger(self, trigger: Any) -> str | None:
        if not trigger:
            raise SlackError("invalid_arguments", detail="trigger_id is required")
        if trigger not in self.triggers:
            raise SlackError("invalid_trigger_id")
        issued, user = self.triggers[trigger]
        if trigger in self.used_triggers or time.monotonic() - issued > self.trigger_ttl:
            raise SlackError("expired_trigger_id")
        self.used_triggers.add(trigger)
        return user

    @staticmethod
    def _channel(params: Params) -> str:
        channel = params.get("channel")
        if not isinstance(channel, str) or not channel:
            raise SlackError("channel_not_found")
        return resolve_channel(channel)

    def _find(self, channel: str, ts: Any) -> dict[str, Any] | None:
        return next((m for m in self.messages if m["channel"] == channel and m["ts"] == ts), None)

    @staticmethod
    def _as_message(stored: dict[str, Any]) -> dict[str, Any]:
        message = {"type": "message", "user": BOT_USER_ID, "bot_id": BOT_ID, "app_id": APP_ID}
        message.update({k: v for k, v in stored.items() if k != "channel" and v is not None})
        return copy.deepcopy(message)

    def _store_message(
        self,
        channel: str,
        text: Any,
        *,
        thread_ts: str | None = None,
        blocks: Any = None,
        metadata: Any = None,
        files: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """Append a bot message (the parent must exist when `thread_ts` is given)."""
        if thread_ts is not None and self._find(channel, thread_ts) is None:
            raise SlackError("thread_not_found")
        blocks = copy.deepcopy(blocks)
        fill_ids(blocks)
        stored: dict[str, Any] = {
            "channel": channel,
            "ts": self._ts(),
            "thread_ts": thread_ts,
            "text": text,
            "blocks": blocks,
            "metadata": copy.deepcopy(metadata),
        }
        if files is not None:
            stored["files"] = copy.deepcopy(files)
        self.messages.append(stored)
        return stored

    @staticmethod
    def _checked_message(params: Params) -> None:
        if not params.get("text") and not params.get("blocks") and not params.get("attachments"):
            raise SlackError("no_text")
        raise_if(check_message(params))
