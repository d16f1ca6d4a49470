"""Tell the person behind a Slack request that something could not be done."""

from __future__ import annotations

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


def tell(client: WebClient, api_url: str, body: dict[str, Any], text: str) -> None:
    """Say ``text`` privately to the person who made the request, wherever they made it."""
    user = (body.get("user") or {}).get("id") or body.get("user_id")
    response_url = body.get("response_url")
    if response_url:
        response = WebhookClient(follow_api_url(response_url, api_url), timeout=10).send(
            text=escape(text), response_type="ephemeral", replace_original=False)
        if response.status_code < 300:
            return
        log.warning("response_url answered %s", response.status_code)
    if user:
        client.chat_postMessage(channel=user, text=escape(text))
