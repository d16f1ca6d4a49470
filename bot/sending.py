"""Send one claimed outbox row: paced, waiting out 429s, retrying 5xx and timeouts with backoff.

A post whose outcome is unknown (a timeout, a 5xx, a crash) is looked up in Slack before it is
sent again, so a retry never shows a message twice. What still fails is reported, and the row
stays in the outbox for the next run.
"""

from __future__ import annotations

import base64
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.deps import Deps
from bot.landed import find_landed

log = logging.getLogger(__name__)

ATTEMPTS = 4  # calls per row and run that may fail with a 5xx or a timeout
RATE_LIMIT_WAITS = 20  # 429s per row and run before giving up until the next run
MAX_BACKOFF = 30.0
UPLOAD = "files.upload_v2"  # a chart: the three calls of Slack's external upload flow
# Methods whose repeat would show a second message; others (chat.update) are safe to repeat.
POSTS = frozenset({"chat.postMessage", UPLOAD})


@dataclass(frozen=True)
class Outcome:
    """How a row's sending ended: sent (with its place in Slack), failed, or still in doubt."""

    sent: bool
    channel: str | None = None
    ts: str | None = None
    error: str | None = None
    doubt: bool = False


def send_row(deps: Deps, method: str, payload: dict[str, Any], *, in_doubt: bool,
             renew: Callable[[], None]) -> Outcome:
    """Deliver one post, looking it up first when an earlier attempt may have landed."""
    channel = str(payload.get("channel") or "")
    failures = limited = 0
    error = ""
    while True:
        if in_doubt and method in POSTS:
            try:
                found = find_landed(deps, method, payload)
            except Exception as exc:  # Slack can't tell yet: keep the doubt for the next run
                return Outcome(False, error=f"in doubt, lookup failed: {_describe(exc)}",
                               doubt=True)
            if found is not None:
                log.info("a post in doubt had reached Slack: %s %s", *found)
                return Outcome(True, *found)
        if failures or limited:
            renew()
        deps.pacer.wait(_paced_method(method), channel)
        try:
            response = _call(deps, method, payload)
        except SlackApiError as exc:
            status = exc.response.status_code
            error = str(exc.response.get("error") or f"HTTP {status}")
            if status == 429 and limited < RATE_LIMIT_WAITS:
                limited += 1
                deps.pacer.hold(_paced_method(method), _retry_after(exc), channel)
                continue
            if status < 500:
                return Outcome(False, error=error)  # Slack refused it: retrying won't help
        except Exception as exc:  # timeouts and broken connections: it may have landed
            error = _describe(exc)
        else:
            deps.pacer.passed(_paced_method(method), channel)
            if method == UPLOAD:  # the file lands in the thread it was shared to
                return Outcome(True, channel, payload.get("thread_ts"))
            return Outcome(True, *_place(response))
        failures += 1
        in_doubt = True
        if failures >= ATTEMPTS:
            return Outcome(False, error=error, doubt=method in POSTS)
        delay = min(MAX_BACKOFF, deps.settings.retry_backoff * 2 ** (failures - 1))
        log.info("%s failed (%s); trying again in %.1f s", method, error, delay)
        time.sleep(delay)


def _call(deps: Deps, method: str, payload: dict[str, Any]) -> Any:
    if method != UPLOAD:
        return deps.poster.api_call(method, json=payload)
    deps.pacer.wait("files.completeUploadExternal")
    return deps.poster.files_upload_v2(
        channel=payload["channel"], thread_ts=payload.get("thread_ts"),
        filename=payload["filename"], title=payload["title"],
        content=base64.b64decode(payload["content_b64"]),
        initial_comment=payload.get("text"))


def _paced_method(method: str) -> str:
    return "files.getUploadURLExternal" if method == UPLOAD else method


def _place(response: Any) -> tuple[str | None, str | None]:
    """The channel and ts of what was posted (an upload's are those of its thread)."""
    channel, ts = response.get("channel"), response.get("ts")
    return (str(channel) if channel else None), (str(ts) if ts else None)


def _retry_after(exc: SlackApiError) -> float:
    headers = exc.response.headers or {}
    raw = next((v for k, v in headers.items() if k.lower() == "retry-after"), None)
    value = raw[0] if isinstance(raw, list) else raw
    try:
        return max(1.0, float(value)) if value is not None else 1.0
    except ValueError:
        return 1.0


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:500]
