"""The Web API methods the stand-in implements, over in-memory Slack state (callers hold a lock)."""

from __future__ import annotations

import copy
import re
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tests.slackstandin.blockkit import check_message
from tests.slackstandin.files import FileMethods
from tests.slackstandin.history import HistoryMethods
from tests.slackstandin.state import (
    APP_ID,
    BOT_ID,
    BOT_USER_ID,
    TEAM_ID,
    TS_BASE,
    Params,
    SlackError,
    check_metadata,
    dm_channel,
    fill_ids,
    invalid_blocks,
    raise_if,
    resolve_channel,
)
from tests.slackstandin.views import ViewMethods

USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")  # a workspace member's id, as Slack writes them

__all__ = [
    "APP_ID",
    "BOT_ID",
    "BOT_USER_ID",
    "TEAM_ID",
    "TS_BASE",
    "Params",
    "SlackError",
    "WebApi",
    "dm_channel",
    "invalid_blocks",
    "resolve_channel",
]


def _metadata(params: Params) -> object:
    """The call's message metadata (None when absent), checked as Slack checks it."""
    metadata = params.get("metadata")
    if metadata in (None, ""):
        return None
    check_metadata(metadata)
    return metadata


class WebApi(ViewMethods, HistoryMethods, FileMethods):
    """In-memory Slack state plus one handler per Web API method."""

    def __init__(self, trigger_ttl: float) -> None:
        super().__init__(trigger_ttl)
        self.handlers: dict[str, Callable[[Params], Params]] = {
            "auth.test": self.auth_test,
            "chat.postMessage": self.post_message,
            "chat.update": self.update_message,
            "chat.postEphemeral": self.post_ephemeral,
            "conversations.open": self.open_conversation,
            "conversations.history": self.history,
            "conversations.replies": self.replies,
            "files.getUploadURLExternal": self.get_upload_url,
            "files.completeUploadExternal": self.complete_upload,
            "files.info": self.file_info,
            "views.open": self.open_view,
            "views.push": self.push_view,
            "views.update": self.update_view,
            "views.publish": self.publish_view,
            "users.info": self.user_info,
        }
        self.user_zones: dict[str, str] = {}  # users.info's time zones, by user id
        self.user_locales: dict[str, str] = {}  # users.info's locales (include_locale), by id

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
        self._checked_message(params)
        metadata = _metadata(params)
        stored = self._store_message(
            channel,
            params.get("text"),
            thread_ts=params.get("thread_ts") or None,
            blocks=params.get("blocks"),
            metadata=metadata,
        )
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
        raise_if(check_message({"text": text, "blocks": blocks}))
        metadata = _metadata(params)
        fill_ids(blocks)
        stored.update(text=text, blocks=blocks)
        if metadata is not None:
            stored["metadata"] = copy.deepcopy(metadata)
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
        raise_if(check_message(params))
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

    def user_info(self, params: Params) -> Params:
        """users.info: a member of the workspace is any well-formed user id. The time zone
        (``tz``, its label and offset in seconds now) is the one a test set, else none; the
        locale only with ``include_locale``, as a test set it, else ``en-US`` (Slack's)."""
        user = params.get("user")
        if not isinstance(user, str) or not USER_ID.match(user):
            raise SlackError("user_not_found")
        found: Params = {"id": user, "team_id": TEAM_ID, "name": user.lower()}
        zone = self.user_zones.get(user)
        if zone is not None:
            offset = datetime.now(ZoneInfo(zone)).utcoffset() or timedelta()
            found |= {"tz": zone, "tz_label": zone, "tz_offset": int(offset.total_seconds())}
        if str(params.get("include_locale", "")).lower() in ("true", "1"):
            found["locale"] = self.user_locales.get(user, "en-US")
        return {"user": found}

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
