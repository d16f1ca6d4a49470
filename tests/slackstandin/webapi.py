"""The Web API methods the stand-in implements, over in-memory Slack state (callers hold a lock)."""

from __future__ import annotations

import copy
import secrets
import time
from collections.abc import Callable
from typing import Any

from tests.slackstandin.blockkit import check_message, check_view

TEAM_ID = "T0TEST"
BOT_USER_ID = "UBOT"
BOT_ID = "B0BOT"
APP_ID = "A0TEST"
TS_BASE = 1_767_000_000

Params = dict[str, Any]


class SlackError(Exception):
    """Raised by a method handler to answer `{"ok": false, "error": ...}`."""

    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra


def dm_channel(user: str) -> str:
    """The stable id of the app's DM channel with `user` (e.g. U123 -> D123)."""
    return "D" + user[1:]


def invalid_blocks(problems: list[str]) -> dict[str, Any]:
    """Slack's answer to a payload with invalid Block Kit."""
    return {
        "ok": False,
        "error": "invalid_blocks",
        "errors": problems,
        "response_metadata": {"messages": [f"[ERROR] {p}" for p in problems]},
    }


def _raise_if(problems: list[str]) -> None:
    if problems:
        metadata = invalid_blocks(problems)["response_metadata"]
        raise SlackError("invalid_blocks", errors=problems, response_metadata=metadata)


def _fill_ids(blocks: Any) -> None:
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


class WebApi:
    """In-memory Slack state plus one handler per Web API method."""

    def __init__(self, trigger_ttl: float) -> None:
        self.trigger_ttl = trigger_ttl
        self.messages: list[dict[str, Any]] = []
        self.ephemerals: list[dict[str, Any]] = []
        self.views: dict[str, dict[str, Any]] = {}
        self.view_users: dict[str, str | None] = {}
        self.view_log: list[tuple[str, str | None]] = []
        self.external_ids: dict[str, str] = {}
        self.homes: dict[str, dict[str, Any]] = {}
        self.triggers: dict[str, tuple[float, str | None]] = {}
        self.used_triggers: set[str] = set()
        self._seq = 0
        self.handlers: dict[str, Callable[[Params], Params]] = {
            "auth.test": self.auth_test,
            "chat.postMessage": self.post_message,
            "chat.update": self.update_message,
            "chat.postEphemeral": self.post_ephemeral,
            "conversations.open": self.open_conversation,
            "views.open": self.open_view,
            "views.push": self.push_view,
            "views.update": self.update_view,
            "views.publish": self.publish_view,
        }

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
        return dm_channel(channel) if channel[0] in "UW" else channel

    def _find(self, channel: str, ts: Any) -> dict[str, Any] | None:
        return next((m for m in self.messages if m["channel"] == channel and m["ts"] == ts), None)

    @staticmethod
    def _as_message(stored: dict[str, Any]) -> dict[str, Any]:
        message = {"type": "message", "user": BOT_USER_ID, "bot_id": BOT_ID, "app_id": APP_ID}
        message.update({k: v for k, v in stored.items() if k != "channel" and v is not None})
        return copy.deepcopy(message)

    # -- methods ---------------------------------------------------------------------------
    def auth_test(self, params: Params) -> Params:
        """auth.test"""
        return {
            "url": "https://standin-test.slack.com/",
            "team": "Stand-in Test",
            "user": "checkin",
            "team_id": TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def post_message(self, params: Params) -> Params:
        """chat.postMessage"""
        channel = self._channel(params)
        if not params.get("text") and not params.get("blocks") and not params.get("attachments"):
            raise SlackError("no_text")
        _raise_if(check_message(params))
        thread_ts = params.get("thread_ts") or None
        if thread_ts is not None and self._find(channel, thread_ts) is None:
            raise SlackError("thread_not_found")
        blocks = copy.deepcopy(params.get("blocks"))
        _fill_ids(blocks)
        stored = {
            "channel": channel,
            "ts": self._ts(),
            "thread_ts": thread_ts,
            "text": params.get("text"),
            "blocks": blocks,
            "metadata": params.get("metadata"),
        }
        self.messages.append(stored)
        return {"channel": channel, "ts": stored["ts"], "message": self._as_message(stored)}

    def update_message(self, params: Params) -> Params:
        """chat.update"""
        channel = self._channel(params)
        stored = self._find(channel, params.get("ts"))
        if stored is None:
            raise SlackError("message_not_found")
        if "text" not in params and "blocks" not in params:
            raise SlackError("no_text")
        text = params.get("text", stored["text"])
        blocks = copy.deepcopy(params["blocks"] if "blocks" in params else stored["blocks"])
        _raise_if(check_message({"text": text, "blocks": blocks}))
        _fill_ids(blocks)
        stored.update(text=text, blocks=blocks)
        if "metadata" in params:
            stored["metadata"] = params["metadata"]
        message = self._as_message(stored)
        return {"channel": channel, "ts": stored["ts"], "text": text, "message": message}

    def post_ephemeral(self, params: Params) -> Params:
        """chat.postEphemeral"""
        channel = self._channel(params)
        user = params.get("user")
        if not isinstance(user, str) or not user:
            raise SlackError("user_not_in_channel")
        if not params.get("text") and not params.get("blocks"):
            raise SlackError("no_text")
        _raise_if(check_message(params))
        stored = {
            "channel": channel,
            "user": user,
            "message_ts": self._ts(),
            "thread_ts": params.get("thread_ts"),
            "text": params.get("text"),
            "blocks": copy.deepcopy(params.get("blocks")),
        }
        self.ephemerals.append(stored)
        return {"message_ts": stored["message_ts"]}

    def open_conversation(self, params: Params) -> Params:
        """conversations.open"""
        users = params.get("users")
        if isinstance(users, str):
            users = [u.strip() for u in users.split(",") if u.strip()]
        if not users:
            raise SlackError("users_list_not_supplied")
        if len(users) == 1:
            return {"channel": {"id": dm_channel(users[0]), "is_im": True, "user": users[0]}}
        return {"channel": {"id": "G" + secrets.token_hex(4).upper(), "is_mpim": True}}

    def _store_view(
        self, view: Params, view_id: str, user: str | None, root: str, previous: str | None
    ) -> Params:
        stored = copy.deepcopy(view)
        _fill_ids(stored.get("blocks"))
        old_external = self.views.get(view_id, {}).get("external_id", "")
        stored.setdefault("external_id", old_external)
        owner = self.external_ids.get(stored["external_id"])
        if stored["external_id"] and owner not in (None, view_id):
            raise SlackError("duplicate_external_id")
        stored.update(id=view_id, team_id=TEAM_ID, app_id=APP_ID, bot_id=BOT_ID, hash=self._hash())
        stored.update(state={"values": {}}, root_view_id=root, previous_view_id=previous)
        for key, default in (("private_metadata", ""), ("callback_id", "")):
            stored.setdefault(key, default)
        stored.setdefault("clear_on_close", False)
        stored.setdefault("notify_on_close", False)
        if stored["external_id"]:
            self.external_ids[stored["external_id"]] = view_id
        self.views[view_id] = stored
        self.view_users[view_id] = user
        self.view_log.append((view_id, user))
        return {"view": copy.deepcopy(stored)}

    @staticmethod
    def _checked_modal(params: Params) -> Params:
        view = params.get("view")
        if not isinstance(view, dict):
            raise SlackError("invalid_arguments", detail="view is required")
        if view.get("type") != "modal":
            raise SlackError("invalid_arguments", detail="view.type must be modal")
        _raise_if(check_view(view))
        return view

    def open_view(self, params: Params, *, push: bool = False) -> Params:
        """views.open"""
        view = self._checked_modal(params)
        user = self._use_trigger(params.get("trigger_id"))
        view_id = f"V{self._next():08d}"
        previous = next((v for v, u in reversed(self.view_log) if u == user), None)
        if push and user is not None and previous is not None:
            root = self.views[previous]["root_view_id"]
            return self._store_view(view, view_id, user, root, previous)
        return self._store_view(view, view_id, user, view_id, None)

    def push_view(self, params: Params) -> Params:
        """views.push"""
        return self.open_view(params, push=True)

    def update_view(self, params: Params) -> Params:
        """views.update"""
        view_id = params.get("view_id") or None
        if view_id is None and params.get("external_id"):
            view_id = self.external_ids.get(params["external_id"])
            if view_id is None:
                raise SlackError("not_found")
        if view_id is None:
            raise SlackError("invalid_arguments", detail="view_id or external_id is required")
        if view_id not in self.views:
            raise SlackError("not_found")
        if params.get("hash") and params["hash"] != self.views[view_id]["hash"]:
            raise SlackError("hash_conflict")
        view = self._checked_modal(params)
        old = self.views[view_id]
        user = self.view_users.get(view_id)
        return self._store_view(view, view_id, user, old["root_view_id"], old["previous_view_id"])

    def publish_view(self, params: Params) -> Params:
        """views.publish"""
        user = params.get("user_id")
        view = params.get("view")
        if not isinstance(user, str) or not user:
            raise SlackError("invalid_arguments", detail="user_id is required")
        if not isinstance(view, dict) or view.get("type") != "home":
            raise SlackError("invalid_arguments", detail="view.type must be home")
        old = self.homes.get(user)
        if old is not None and params.get("hash") and params["hash"] != old["hash"]:
            raise SlackError("hash_conflict")
        _raise_if(check_view(view))
        stored = copy.deepcopy(view)
        _fill_ids(stored.get("blocks"))
        view_id = old["id"] if old is not None else f"V{self._next():08d}"
        stored.update(id=view_id, team_id=TEAM_ID, app_id=APP_ID, bot_id=BOT_ID, hash=self._hash())
        stored.setdefault("private_metadata", "")
        stored.setdefault("callback_id", "")
        stored.update(state={"values": {}}, root_view_id=view_id, previous_view_id=None)
        self.homes[user] = stored
        return {"view": copy.deepcopy(stored)}
