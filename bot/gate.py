"""The door of ``POST /slack/events``: size, signature and shape are checked before anything else.

Nothing of a request is parsed, logged or handed on until its signature has been checked on
the raw bytes; a request that fails gets a short answer and one log line saying who sent it,
how large it was and why it was refused, never its body. Only then does Bolt see it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

log = logging.getLogger(__name__)

# Slack's requests are a few kilobytes (a modal's state is the largest); anything past this is
# refused before it is read. Documented in the README's security section.
MAX_BODY_BYTES = 1024 * 1024
# Slack's own rule: a request signed more than five minutes ago is a replay.
MAX_AGE_SECONDS = 300
# A Unix time in seconds has 10 digits until the year 2286.
_TIMESTAMP_DIGITS = 12


@dataclass(frozen=True)
class Refusal:
    """Why a request is not handed on: the HTTP status and a short reason for the log."""

    status: int
    reason: str


def read_limited(environ: dict[str, Any], limit: int = MAX_BODY_BYTES) -> bytes | Refusal:
    """The request body, at most ``limit`` bytes; a longer or unreadable one is a refusal."""
    declared = environ.get("CONTENT_LENGTH") or ""
    if declared:
        if not declared.isdigit():
            return Refusal(400, "bad Content-Length")
        if int(declared) > limit:
            return Refusal(413, "body over the size limit")
    stream = environ.get("wsgi.input")
    if stream is None:
        return b""
    # Read at most one byte past the limit, whatever the header said.
    body = stream.read(min(int(declared), limit + 1) if declared else limit + 1)
    if len(body) > limit:
        return Refusal(413, "body over the size limit")
    return bytes(body)


def check_signature(secret: str, body: bytes, timestamp: str | None, signature: str | None,
                    now: Callable[[], float] = time.time) -> Refusal | None:
    """None when Slack signed ``body`` within the last five minutes, else the refusal."""
    if not timestamp or not signature:
        return Refusal(401, "unsigned")
    if not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > _TIMESTAMP_DIGITS:
        return Refusal(401, "malformed timestamp")
    if abs(now() - int(timestamp)) > MAX_AGE_SECONDS:
        return Refusal(401, "stale timestamp")
    digest = hmac.new(secret.encode(), b"v0:" + timestamp.encode() + b":" + body,
                      hashlib.sha256).hexdigest()
    if not hmac.compare_digest(f"v0={digest}".encode(), signature.encode("utf-8", "replace")):
        return Refusal(401, "bad signature")
    return None


def check_shape(body: bytes, content_type: str) -> Refusal | None:
    """None when a signed body has a shape Bolt can dispatch, else why not (a polite no-op)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return Refusal(400, "body is not UTF-8")
    if content_type.startswith("application/json"):
        return None if isinstance(_json(text), dict) else Refusal(400, "not a JSON object")
    try:
        form = parse_qs(text, max_num_fields=200, strict_parsing=bool(text))
    except ValueError:
        return Refusal(400, "not a form")
    if "payload" in form:
        payload = _json(form["payload"][0])
        if not isinstance(payload, dict) or not isinstance(payload.get("type"), str):
            return Refusal(400, "payload is not a JSON object with a type")
        return None
    if "command" in form or "ssl_check" in form:
        return None
    return Refusal(400, "neither a command nor a payload")


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


def log_refusal(environ: dict[str, Any], refusal: Refusal, size: int) -> None:
    """One short line: who, what and why; never the body or the headers' values."""
    content_type = str(environ.get("CONTENT_TYPE") or "-")[:60]
    log.warning("refused a Slack request from %s: %s (%s, %d bytes)",
                _client(environ), refusal.reason, content_type, size)


def _client(environ: dict[str, Any]) -> str:
    return str(environ.get("REMOTE_ADDR") or "unknown")[:64]
