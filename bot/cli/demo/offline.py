"""A Web API client that answers like Slack without a network, keeping what the bot sent."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from itertools import count
from typing import Any

from slack_sdk import WebClient
from slack_sdk.web import SlackResponse


@dataclass
class Sent:
    """One message or file as it stands in the offline workspace (updates applied)."""

    method: str
    channel: str
    ts: str
    payload: dict[str, Any]
    thread_ts: str | None = None
    updates: int = 0
    file: bytes | None = None


@dataclass
class OfflineWorkspace:
    """What the bot sent, in order; a user id posted to is the DM ``D`` + the id."""

    sent: list[Sent] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)

    def in_channel(self, channel: str) -> list[Sent]:
        return [item for item in self.sent if item.channel == channel]

    def find(self, channel: str, ts: str) -> Sent | None:
        return next((s for s in self.sent if s.channel == channel and s.ts == ts
                     and s.file is None), None)


def dm_channel(user_or_channel: str) -> str:
    """The conversation a post to ``user_or_channel`` lands in (a user's DM with the bot)."""
    return "D" + user_or_channel[1:] if user_or_channel.startswith(("U", "W")) \
        else user_or_channel


class OfflineSlack(WebClient):
    """Answers the Web API calls the bot makes, as Slack would, and records them."""

    def __init__(self, clock: Callable[[], datetime], token: str = "xoxb-offline") -> None:
        super().__init__(token=token, base_url="https://slack.invalid/api/", retry_handlers=[])
        self.workspace = OfflineWorkspace()
        self._clock = clock
        self._serial = count(1)

    def _ts(self) -> str:
        return f"{int(self._clock().timestamp())}.{next(self._serial):06d}"

    def api_call(self, api_method: str, *, http_verb: str = "POST",
                 files: dict[str, Any] | None = None, data: dict[str, Any] | None = None,
                 params: dict[str, Any] | None = None, json: dict[str, Any] | None = None,
                 headers: dict[str, Any] | None = None,
                 auth: dict[str, Any] | None = None) -> SlackResponse:
        """Answer one Web API call from the recorded workspace."""
        args = {**(params or {}), **(data or {}), **(json or {})}
        self.workspace.calls.append(api_method)
        answer = self._answer(api_method, args)
        return self._response(api_method, args, answer)

    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        if method == "chat.postMessage":
            channel, ts = dm_channel(str(args["channel"])), self._ts()
            thread = args.get("thread_ts")
            self.workspace.sent.append(Sent(method, channel, ts, dict(args),
                                            str(thread) if thread else None))
            return {"ok": True, "channel": channel, "ts": ts, "message": dict(args)}
        if method == "chat.update":
            found = self.workspace.find(dm_channel(str(args["channel"])), str(args["ts"]))
            if found is None:
                return {"ok": False, "error": "message_not_found"}
            found.payload = {**found.payload, **args}
            found.updates += 1
            return {"ok": True, "channel": found.channel, "ts": found.ts}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": dm_channel(str(args["users"]))}}
        if method in ("conversations.history", "conversations.replies"):
            return {"ok": True, "messages": self._history(method, args), "has_more": False}
        if method == "users.info":  # the example's people keep Slack's defaults: the
            return {"ok": True, "user": {"id": str(args["user"])}}  # organization's language
        if method.startswith("views."):
            return {"ok": True, "view": {"id": f"V{next(self._serial):08d}", **args}}
        return {"ok": False, "error": "unknown_method"}

    def _history(self, method: str, args: dict[str, Any]) -> list[dict[str, Any]]:
        channel = dm_channel(str(args["channel"]))
        thread = args.get("ts") if method == "conversations.replies" else None
        found = [{**s.payload, "ts": s.ts} for s in self.workspace.in_channel(channel)
                 if s.file is None and (s.thread_ts == thread or s.ts == thread)]
        return list(reversed(found))

    def files_upload_v2(self, **kwargs: Any) -> SlackResponse:
        """Keep an uploaded file where it was shared (a thread, or a conversation)."""
        self.workspace.calls.append("files.upload_v2")
        channel = dm_channel(str(kwargs["channel"]))
        content = kwargs["content"]
        body = content if isinstance(content, bytes) else str(content).encode()
        meta = {key: kwargs[key] for key in ("filename", "title", "initial_comment")
                if kwargs.get(key)}
        thread = kwargs.get("thread_ts")
        self.workspace.sent.append(Sent("files.upload_v2", channel, self._ts(), meta,
                                        str(thread) if thread else None, file=body))
        return self._response("files.completeUploadExternal", kwargs,
                              {"ok": True, "files": [{"id": f"F{next(self._serial):08d}",
                                                      **meta}]})

    def _response(self, method: str, args: dict[str, Any],
                  answer: dict[str, Any]) -> SlackResponse:
        return SlackResponse(client=self, http_verb="POST", api_url=self.base_url + method,
                             req_args=args, data=answer, headers={},
                             status_code=200).validate()
