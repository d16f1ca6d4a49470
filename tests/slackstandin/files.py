"""Slack's v2 file upload: files.getUploadURLExternal, the upload URL, files.completeUploadExternal.

A file is reserved by getUploadURLExternal, receives its bytes by a POST to its upload URL
(`<base_url>/upload/<file_id>`), and is shared (or kept private) by completeUploadExternal, which
may be called once. Errors: unknown file id -> `file_not_found`; a file whose bytes never arrived,
whose byte count differs from the announced `length`, or that was already completed ->
`invalid_arguments` (with a `detail`).

A person's own file (`share_from_user`, what Slack keeps before it sends `file_shared`) is
described by files.info, whose `url_private_download` (`<base_url>/download/<file_id>/<name>`)
serves its bytes to a request with the token.
"""

from __future__ import annotations

import copy
import mimetypes
import secrets
from typing import Any
from urllib.parse import quote

from tests.slackstandin.state import Params, SlackError, SlackState, dm_channel

MAX_CHANNELS = 100


def _mimetype(filename: str) -> str:
    guessed, _ = mimetypes.guess_type(filename)
    return guessed or "application/octet-stream"


def _filetype(filename: str) -> str:
    _, dot, ext = filename.rpartition(".")
    return ext.lower() if dot and ext else "binary"


def _channels(params: Params) -> list[str]:
    """Where to share: `channel_id` and/or the comma-separated `channels` (channel ids only)."""
    found: list[str] = []
    raw = params.get("channels")
    if isinstance(raw, list):
        found += [str(c) for c in raw]
    elif isinstance(raw, str):
        found += [c.strip() for c in raw.split(",") if c.strip()]
    if params.get("channel_id"):
        found.insert(0, str(params["channel_id"]))
    for channel in found:
        if channel[0] not in "CGDZ":  # Slack wants a conversation id, not a user id or a name.
            raise SlackError("invalid_arguments", detail=f"channel_id {channel!r} is not an id")
    if len(found) > MAX_CHANNELS:
        raise SlackError("invalid_arguments", detail="at most 100 channels")
    return list(dict.fromkeys(found))


class FileMethods(SlackState):
    """The v2 upload flow and the files it keeps."""

    base_url = ""  # Set by the server: upload URLs point back at it.

    def get_upload_url(self, params: Params) -> Params:
        """files.getUploadURLExternal"""
        filename = params.get("filename")
        if not isinstance(filename, str) or not filename:
            raise SlackError("invalid_arguments", detail="filename is required")
        try:
            length = int(params.get("length", ""))
        except (TypeError, ValueError):
            raise SlackError("invalid_arguments", detail="length must be an integer") from None
        if length < 0:
            raise SlackError("invalid_arguments", detail="length must not be negative")
        file_id = f"F{self._next():02d}{secrets.token_hex(4).upper()}"
        self.files[file_id] = {
            "id": file_id,
            "filename": filename,
            "length": length,
            "alt_txt": params.get("alt_txt") or None,
            "snippet_type": params.get("snippet_type") or None,
            "title": None,
            "bytes": None,
            "completed": 0,  # the completion order once completed
            "channel": None,
            "channels": [],
            "thread_ts": None,
        }
        return {"upload_url": f"{self.base_url}/upload/{file_id}", "file_id": file_id}

    def receive_upload(self, file_id: str, data: bytes) -> tuple[int, str]:
        """A POST of the file's bytes to its upload URL: (HTTP status, plain-text body)."""
        stored = self.files.get(file_id)
        if stored is None or stored["completed"]:
            return 404, "Not Found"
        stored["bytes"] = bytes(data)
        return 200, f"OK - {len(data)}"

    def _completable(self, item: Any) -> tuple[dict[str, Any], str]:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise SlackError("invalid_arguments", detail="files: each item needs an id")
        stored = self.files.get(item["id"])
        if stored is None:
            raise SlackError("file_not_found")
        if stored["completed"]:
            raise SlackError("invalid_arguments", detail=f"{stored['id']} was already completed")
        if stored["bytes"] is None:
            raise SlackError("invalid_arguments", detail=f"{stored['id']} was never uploaded")
        if len(stored["bytes"]) != stored["length"]:
            got, expected = len(stored["bytes"]), stored["length"]
            detail = f"{stored['id']}: got {got} bytes, expected {expected}"
            raise SlackError("invalid_arguments", detail=detail)
        title = item.get("title")
        return stored, title if isinstance(title, str) and title else stored["filename"]

    @staticmethod
    def _shared(stored: dict[str, Any]) -> dict[str, Any]:
        """A file as a message carries it."""
        return {
            "id": stored["id"],
            "title": stored["title"],
            "name": stored["filename"],
            "mimetype": _mimetype(stored["filename"]),
            "filetype": _filetype(stored["filename"]),
            "size": len(stored["bytes"]),
            "alt_txt": stored["alt_txt"],
            "mode": "hosted",
        }

    def complete_upload(self, params: Params) -> Params:
        """files.completeUploadExternal"""
        items = params.get("files")
        if not isinstance(items, list) or not items:
            raise SlackError("invalid_arguments", detail="files must be a non-empty JSON array")
        checked = [self._completable(item) for item in items]
        channels = _channels(params)
        thread_ts = params.get("thread_ts") or None
        if thread_ts is not None:
            if len(channels) != 1:
                raise SlackError("invalid_arguments", detail="thread_ts needs exactly one channel")
            if self._find(channels[0], str(thread_ts)) is None:
                raise SlackError("thread_not_found")
        for stored, title in checked:
            stored.update(title=title, completed=self._next(), thread_ts=thread_ts)
            stored.update(channels=channels, channel=channels[0] if channels else None)
        shared = [self._shared(stored) for stored, _ in checked]
        for channel in channels:
            text = params.get("initial_comment") or ""
            self._store_message(channel, text, thread_ts=thread_ts, files=shared)
        return {"files": [{"id": s["id"], "title": s["title"]} for s, _ in checked]}

    def completed_files(self) -> list[dict[str, Any]]:
        """Completed uploads in completion order: id, filename, title, bytes, channel, ..."""
        done = [f for f in self.files.values() if f["completed"]]
        done.sort(key=lambda f: int(f["completed"]))
        return [copy.deepcopy({k: v for k, v in f.items() if k != "completed"}) for f in done]

    def share_from_user(self, user: str, filename: str, data: bytes,
                        channel: str | None = None) -> str:
        """A file ``user`` shares in ``channel`` (default: their DM with the app); its id."""
        file_id = f"F{self._next():02d}{secrets.token_hex(4).upper()}"
        self.files[file_id] = {
            "id": file_id, "filename": filename, "length": len(data), "alt_txt": None,
            "snippet_type": None, "title": filename, "bytes": bytes(data),
            "completed": 0,  # not one of the app's uploads
            "channel": channel or dm_channel(user), "channels": [channel or dm_channel(user)],
            "thread_ts": None, "user": user,
        }
        return file_id

    def file_info(self, params: Params) -> Params:
        """files.info"""
        stored = self.files.get(str(params.get("file") or ""))
        if stored is None or stored["bytes"] is None:
            raise SlackError("file_not_found")
        url = f"{self.base_url}/download/{stored['id']}/{quote(stored['filename'])}"
        return {"file": {**self._shared(stored), "user": stored.get("user"),
                         "url_private": url, "url_private_download": url}}

    def download(self, file_id: str) -> bytes | None:
        """The bytes ``url_private_download`` serves, or None for an unknown file."""
        stored = self.files.get(file_id)
        return None if stored is None or stored["bytes"] is None else bytes(stored["bytes"])
