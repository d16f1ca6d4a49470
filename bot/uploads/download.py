"""Fetch a file a person shared with the bot: its details from files.info, then its bytes.

The bytes sit behind ``url_private_download``, which wants the bot token. The token is only
ever sent to Slack's own hosts (a redirect elsewhere is refused, not followed with the token);
against a stand-in, the address is moved onto ``SLACK_API_URL``'s host like every other call.
"""

from __future__ import annotations

import urllib.request
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient

from bot.notices import follow_api_url, slack_hosted
from bot.settings import DEFAULT_API_URL

MAX_BYTES = 1024 * 1024  # a month's figures are a few kilobytes; this is plenty
TIMEOUT_SECONDS = 20


@dataclass(frozen=True)
class SharedFile:
    """What files.info says about a shared file."""

    id: str
    name: str
    kind: str  # the file's extension, lower case: "xlsx", "csv", ...
    size: int
    url: str  # url_private_download ("" when Slack gave none)


class DownloadFailed(Exception):
    """The file's bytes could not be fetched (or were more than was announced)."""


def file_info(client: WebClient, file_id: str) -> SharedFile:
    """The details of ``file_id`` (a SlackApiError when Slack refuses)."""
    found: dict[str, Any] = client.files_info(file=file_id)["file"]
    name = str(found.get("name") or found.get("title") or file_id)
    _, dot, extension = name.rpartition(".")
    kind = extension.lower() if dot else str(found.get("filetype") or "").lower()
    return SharedFile(file_id, name, kind, int(found.get("size") or 0),
                      str(found.get("url_private_download") or found.get("url_private") or ""))


def download(shared: SharedFile, token: str, api_url: str, limit: int = MAX_BYTES) -> bytes:
    """The file's bytes, at most ``limit`` of them (DownloadFailed beyond, or on any error)."""
    url = follow_api_url(shared.url, api_url)
    if api_url == DEFAULT_API_URL and not slack_hosted(url):
        raise DownloadFailed("the file's address is not on Slack")
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    opener = urllib.request.build_opener(_SlackRedirectsOnly())
    try:
        with opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            data: bytes = response.read(limit + 1)
    except (OSError, ValueError) as exc:  # URLError, HTTPError, timeouts; a malformed URL
        raise DownloadFailed(str(exc)) from exc
    if len(data) > limit:
        raise DownloadFailed(f"more than {limit} bytes")
    return data


class _SlackRedirectsOnly(urllib.request.HTTPRedirectHandler):
    """Follow a redirect (which carries the token along) only to Slack's own hosts."""

    def redirect_request(self, req: urllib.request.Request, fp: Any, code: int, msg: str,
                         headers: Any, newurl: str) -> urllib.request.Request | None:
        if not slack_hosted(newurl):
            return None  # urllib then raises the redirect as an HTTPError
        return super().redirect_request(req, fp, code, msg, headers, newurl)
