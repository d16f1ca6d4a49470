"""Send one claimed outbox row: paced, waiting out 429s, retrying 5xx and timeouts with backoff.

A post whose outcome is unknown (a timeout, a 5xx, a crash) is looked up in Slack before it is
sent again, so a retry never shows a message twice. What still fails is reported, and the row
stays in the outbox for the next run.
"""

from __future__ import annotations

import base64
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.outbox.landed import find_landed
from bot.outbox.sender import Sender

log = logging.getLogger(__name__)

ATTEMPTS = 4  # calls per row and run that may fail with a 5xx or a timeout
RATE_LIMIT_WAITS = 20  # 429s per row and run before giving up until the next run
MAX_BACKOFF = 30.0
# A Retry-After longer than this is not waited out inside a run: the row is left for the next
# run (a cycle command then says what is left and exits 1; running it again sends the rest).
MAX_RETRY_AFTER = 60.0
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


def send_row(deps: Sender, method: str, payload: dict[str, Any], *, in_doubt: bool,
             renew: Callable[[], None]) -> Outcome:
    """Deliver one post, looking it up first when an earlier attempt may have landed."""
    channel = str(payload.get("channel") or "")
    failures = limited = 0
    error = ""
    unanswered: float | None = None  # when a call that got no answer at all was started
    # A row in doubt from an earlier claim: its call may have been cut off just now.
    twice = in_doubt
    while True:
        if in_doubt and method in POSTS:
            try:
                found = _look_up(deps, method, payload, unanswered, renew,
                                 twice=twice or unanswered is not None)
            except Exception as exc:  # Slack can't tell yet: keep the doubt for the next run
                return Outcome(False, error=f"in doubt, lookup failed: {_describe(exc)}",
                               doubt=True)
            if found is not None:
                log.info("a post in doubt had reached Slack: %s %s", *found)
                return Outcome(True, *found)
        if failures or limited:
            renew()
        deps.pacer.wait(_paced_method(method), channel)
        started, unanswered = time.monotonic(), None
        try:
            response = _call(deps, method, payload)
        except SlackApiError as exc:
            status = exc.response.status_code
            error = str(exc.response.get("error") or f"HTTP {status}")
            if status == 429:
                wait = _retry_after(exc)
                if wait > MAX_RETRY_AFTER or limited >= RATE_LIMIT_WAITS:
                    log.warning("%s: Slack asked to wait %s s (more than the %g s a run waits, "
                                "or too often); left for the next run", method, wait,
                                MAX_RETRY_AFTER)
                    return Outcome(False, error=f"rate limited: retry after {wait:g} s")
                limited += 1
                deps.pacer.hold(_paced_method(method), wait, channel)
                continue
            if status < 500:
                return Outcome(False, error=error)  # Slack refused it: retrying won't help
        except Exception as exc:  # timeouts and broken connections: it may have landed
            error, unanswered = _describe(exc), started
        else:
            deps.pacer.passed(_paced_method(method), channel)
            if method == UPLOAD:  # the file lands in the thread it was shared to
                return Outcome(True, channel, payload.get("thread_ts"))
            place = _place(response)
            if method in POSTS and place[1] is not None:
                return Outcome(True, *place)
            if method not in POSTS:
                return Outcome(True, *place)
            # "ok" without a ts: it may or may not be shown; find it rather than trust it.
            error = "Slack answered ok without the message's ts"
        failures += 1
        in_doubt, twice = True, False
        if failures >= ATTEMPTS:
            return Outcome(False, error=error, doubt=method in POSTS)
        delay = min(MAX_BACKOFF, deps.settings.retry_backoff * 2 ** (failures - 1))
        log.info("%s failed (%s); trying again in %.1f s", method, error, delay)
        time.sleep(delay)


def _look_up(deps: Sender, method: str, payload: dict[str, Any], unanswered: float | None,
             renew: Callable[[], None], *, twice: bool) -> tuple[str, str] | None:
    """Where the post in doubt landed, or None once Slack can no longer be applying it.

    A call that got no answer may still be applied after the client gave up, so the first
    look waits until twice the call's timeout has passed since it was sent, and a post not
    found is looked for once more, a timeout later, before it may be sent again; so is a post
    left in doubt by an earlier claim (a process stopped mid-call). A call Slack answered
    with a 5xx has finished: one look tells.
    """
    timeout = float(deps.poster.timeout)
    if unanswered is not None:
        _sleep_until(unanswered + 2 * timeout, renew)
    found = find_landed(deps, method, payload)
    if found is None and twice:
        _sleep_until(time.monotonic() + timeout, renew)
        found = find_landed(deps, method, payload)
    return found


def _sleep_until(moment: float, renew: Callable[[], None]) -> None:
    renew()  # the claim outlives the wait
    remaining = moment - time.monotonic()
    if remaining > 0:
        time.sleep(remaining)


def _call(deps: Sender, method: str, payload: dict[str, Any]) -> Any:
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
        seconds = float(value) if value is not None else 1.0
    except ValueError:
        return 1.0
    return max(1.0, seconds) if math.isfinite(seconds) else math.inf


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:500]
