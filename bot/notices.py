"""Tell the person behind a Slack request that something could not be done."""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from bot.blocks.common import escape
from bot.settings import DEFAULT_API_URL

log = logging.getLogger(__name__)


def follow_api_url(url: str, api_url: str) -> str:
    """``url`` (a response_url) moved onto ``SLACK_API_URL``'s host when that is not Slack's.

    Slack's own hosts stay as they are; against a stand-in, every call goes to the stand-in.
    """
    if api_url == DEFAULT_API_URL:
        return url
    target, original = urlsplit(api_url), urlsplit(url)
    return urlunsplit((target.scheme, target.netloc, original.path, original.query, ""))


def slack_hosted(url: str) -> bool:
    """Whether ``url`` is an https address on Slack's own domain (where response URLs live)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return parts.scheme == "https" and (host == "slack.com" or host.endswith(".slack.com"))


def usable_response_url(url: Any, api_url: str) -> str | None:
    """The address to answer a response_url at, or None when it must not be used: against
    Slack only Slack's own hosts are, and against a stand-in every call goes to the stand-in."""
    if not isinstance(url, str) or not url:
        return None
    if api_url == DEFAULT_API_URL and not slack_hosted(url):
        log.warning("ignored a response_url outside Slack's domain")
        return None
    return follow_api_url(url, api_url)


def tell(client: WebClient, api_url: str, body: dict[str, Any], text: str) -> None:
    """Say ``text`` (plain, escaped here) privately to the person who made the request."""
    answer(client, api_url, body, {"text": escape(text)})


def answer(client: WebClient, api_url: str, body: dict[str, Any],
           message: dict[str, Any]) -> None:
    """Show ``message`` (``text`` and ``blocks``, user text already escaped) privately to the
    person who made the request: ephemeral through its response_url, else by DM."""
    user = (body.get("user") or {}).get("id") or body.get("user_id")
    response_url = usable_response_url(body.get("response_url"), api_url)
    if response_url:
        response = WebhookClient(response_url, timeout=10).send(
            text=message["text"], blocks=message.get("blocks"), response_type="ephemeral",
            replace_original=False)
        if response.status_code < 300 and not _refused(response.body):
            return
        log.warning("response_url answered %s %s", response.status_code, response.body[:200])
    if user:
        client.chat_postMessage(channel=user, **message)


def _refused(body: str) -> bool:
    """Whether a response URL's 2xx answer still says ``{"ok": false}`` (Slack answers "ok")."""
    try:
        parsed = json.loads(body)
    except ValueError:
        return False
    return isinstance(parsed, dict) and parsed.get("ok") is False
