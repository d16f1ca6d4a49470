"""Drive the bot's HTTP endpoint the way Slack does: signed events, commands and interactions."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from tests.slackstandin.elements import action_entry, find_element, initial_of, state_entry
from tests.slackstandin.preserve import as_shown, typed_in
from tests.slackstandin.server import SlackStandIn
from tests.slackstandin.webapi import APP_ID, BOT_USER_ID, dm_channel

VERIFICATION_TOKEN = "legacy-verification-token"
FORM = "application/x-www-form-urlencoded"


def sign(secret: str, body: str, timestamp: int | None = None) -> dict[str, str]:
    """Slack's v0 request-signing headers for `body` (timestamp defaults to now)."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


@dataclass(frozen=True)
class Reply:
    """The bot's HTTP answer to one driven request."""

    status: int
    body: str
    json: dict[str, Any] | None
    headers: dict[str, str]
    elapsed: float
    started: float = 0.0  # time.perf_counter() when the request was sent
    response_url: str | None = None  # the response_url a slash command carried


def latest_view(standin: SlackStandIn, user: str | None = None) -> dict[str, Any]:
    """The modal view last opened, pushed or updated (as stored, with id and hash)."""
    views = standin.views(user)
    if not views:
        seen = [c.method for c in standin.calls]
        raise AssertionError(f"no view opened{f' for {user}' if user else ''}; calls: {seen}")
    return views[-1]


class SlackDriver:
    """Sends signed Slack requests (events, commands, interactions) to the bot under test."""

    def __init__(
        self,
        bot_url: str,
        signing_secret: str,
        standin: SlackStandIn,
        team_id: str = "T0TEST",
        api_app_id: str = APP_ID,
    ) -> None:
        self.bot_url = bot_url
        self.signing_secret = signing_secret
        self.standin = standin
        self.team_id = team_id
        self.api_app_id = api_app_id

    def post(
        self,
        body: str,
        content_type: str,
        headers: dict[str, str] | None = None,
        *,
        timestamp: int | None = None,
        secret: str | None = None,
    ) -> Reply:
        """POST a raw body, signed with `secret` (default: the signing secret) at `timestamp`."""
        all_headers = sign(self.signing_secret if secret is None else secret, body, timestamp)
        all_headers["Content-Type"] = content_type
        all_headers.update(headers or {})
        request = urllib.request.Request(
            self.bot_url, data=body.encode(), headers=all_headers, method="POST"
        )
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                status, raw, got = response.status, response.read(), dict(response.headers)
        except urllib.error.HTTPError as e:
            status, raw, got = e.code, e.read(), dict(e.headers)
        elapsed = time.perf_counter() - started
        text = raw.decode("utf-8", errors="replace")
        try:
            parsed = json.loads(text) if text else None
        except json.JSONDecodeError:
            parsed = None
        return Reply(status, text, parsed if isinstance(parsed, dict) else None, got, elapsed,
                     started)

    def _user(self, user: str) -> dict[str, Any]:
        return {"id": user, "username": f"user-{user.lower()}", "team_id": self.team_id}

    def _interaction(self, payload: dict[str, Any]) -> Reply:
        base: dict[str, Any] = {"team": {"id": self.team_id, "domain": "standin-test"}}
        base |= {"api_app_id": self.api_app_id, "token": VERIFICATION_TOKEN}
        base |= {"is_enterprise_install": False, "enterprise": None}
        body = urlencode({"payload": json.dumps(base | payload)})
        return self.post(body, FORM)

    def block_action(
        self,
        user: str,
        action_id: str,
        value: str,
        *,
        container: str = "message",
        view: dict[str, Any] | None = None,
        channel: str | None = None,
        message_ts: str | None = None,
        block_id: str | None = None,
    ) -> Reply:
        """A click (`block_actions`) in a message (default) or a view: `value` is a button's
        value, the value of the option chosen in a menu or select, or the person picked."""
        payload: dict[str, Any] = {
            "type": "block_actions",
            "user": self._user(user),
            "trigger_id": self.standin.issue_trigger(user),
        }
        if container == "view":
            if view is None:
                raise ValueError("container='view' needs the view")
            payload["container"] = {"type": "view", "view_id": view["id"]}
            payload["view"] = self._submitted_view(view, {})
            self._remember_typed(view["id"], payload["view"])
            blocks = view.get("blocks")
        elif container == "message":
            channel = channel or dm_channel(user)
            stored = self.standin.messages(channel)
            if message_ts is None and stored:
                message_ts = stored[-1]["ts"]
            message = next((m for m in stored if m["ts"] == message_ts), None) or {}
            blocks = message.get("blocks")
            payload["container"] = {
                "type": "message",
                "message_ts": message_ts,
                "channel_id": channel,
                "is_ephemeral": False,
            }
            payload["channel"] = {"id": channel, "name": "directmessage"}
            payload["message"] = {"type": "message", "user": BOT_USER_ID} | {
                k: v for k, v in message.items() if k != "channel" and v is not None
            }
            payload["response_url"] = self.standin.new_response_url()
        else:
            raise ValueError(f"container must be 'message' or 'view', not {container!r}")
        found_block, element = find_element(blocks, action_id, block_id, value)
        action: dict[str, Any] = {
            "action_id": action_id,
            "block_id": block_id or found_block or "actions",
            **action_entry(element, value),
            "action_ts": f"{time.time():.6f}",
        }
        if element is not None and "text" in element:
            action["text"] = element["text"]
        payload["actions"] = [action]
        return self._interaction(payload)

    def _submitted_view(
        self, view: dict[str, Any], values: dict[str, str | None]
    ) -> dict[str, Any]:
        inputs = [b for b in view.get("blocks") or [] if b.get("type") == "input"]
        unknown = set(values) - {b.get("block_id") for b in inputs}
        if unknown:
            raise ValueError(f"not input block_ids of the view: {sorted(unknown)}")
        state: dict[str, Any] = {}
        for block in inputs:
            element = block["element"]
            value = values.get(block["block_id"], initial_of(element))
            state[block["block_id"]] = {element["action_id"]: state_entry(element, value)}
        return view | {"state": {"values": state}}

    def view_submission(
        self, user: str, view: dict[str, Any], values: dict[str, str | None]
    ) -> Reply:
        """Submit a modal (as stored by the stand-in) with input values keyed by block_id; a
        view the app answers with (``response_action: update``) is shown as Slack shows it:
        inputs it keeps (same block and action ids) still hold what was typed."""
        submitted = self._submitted_view(view, values)
        self._remember_typed(view.get("id"), submitted)
        reply = self._interaction(
            {
                "type": "view_submission",
                "user": self._user(user),
                "trigger_id": self.standin.issue_trigger(user),
                "view": submitted,
                "response_urls": [],
            }
        )
        answer = reply.json or {}
        if answer.get("response_action") == "update" and isinstance(answer.get("view"), dict):
            answer["view"] = as_shown(answer["view"], typed_in(submitted))
            with self.standin.lock:
                self.standin.api.typed.pop(str(view.get("id")), None)
        return reply

    def _remember_typed(self, view_id: Any, submitted: dict[str, Any]) -> None:
        """What the person has in the view's inputs now, for the next views.update of it."""
        if isinstance(view_id, str):
            with self.standin.lock:
                self.standin.api.typed[view_id] = typed_in(submitted)

    def view_closed(self, user: str, view: dict[str, Any], values: dict[str, str | None]) -> Reply:
        """Close a modal (sent only when the view has notify_on_close)."""
        return self._interaction(
            {
                "type": "view_closed",
                "user": self._user(user),
                "view": self._submitted_view(view, values),
                "is_cleared": False,
            }
        )

    def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        retry_reason: str = "http_timeout",
    ) -> Reply:
        """Deliver an Events API `event_callback` envelope, optionally as a retry."""
        now = int(time.time())
        envelope = {
            "token": VERIFICATION_TOKEN,
            "team_id": self.team_id,
            "api_app_id": self.api_app_id,
            "event": {"event_ts": f"{time.time():.6f}"} | event,
            "type": "event_callback",
            "event_id": event_id or f"Ev{secrets.token_hex(5).upper()}",
            "event_time": now,
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": self.team_id,
                    "user_id": BOT_USER_ID,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
        }
        headers = {}
        if retry_num is not None:
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": retry_reason}
        return self.post(json.dumps(envelope), "application/json", headers)

    def app_home_opened(
        self, user: str, event_id: str | None = None, retry_num: int | None = None
    ) -> Reply:
        """The `app_home_opened` event for the Home tab (with the current home view, if any)."""
        event: dict[str, Any] = {"type": "app_home_opened", "user": user, "tab": "home"}
        event["channel"] = dm_channel(user)
        home = self.standin.home_view(user)
        if home is not None:
            event["view"] = home
        return self.event(event, event_id=event_id, retry_num=retry_num)

    def command(self, user: str, command: str, text: str, *, channel: str = "C0TEST") -> Reply:
        """A slash command invocation, form-encoded as Slack sends it (the reply names its
        `response_url`, for `SlackStandIn.wait_for_response`)."""
        response_url = self.standin.new_response_url()
        fields = {
            "token": VERIFICATION_TOKEN,
            "team_id": self.team_id,
            "team_domain": "standin-test",
            "channel_id": channel,
            "channel_name": "directmessage" if channel.startswith("D") else "general",
            "user_id": user,
            "user_name": f"user-{user.lower()}",
            "command": command,
            "text": text,
            "api_app_id": self.api_app_id,
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": self.standin.issue_trigger(user),
        }
        return replace(self.post(urlencode(fields), FORM), response_url=response_url)

    def url_verification(self, challenge: str) -> Reply:
        """The Events API URL verification handshake."""
        body = {"token": VERIFICATION_TOKEN, "challenge": challenge, "type": "url_verification"}
        return self.post(json.dumps(body), "application/json")
