"""A Slack Web API stand-in on loopback: records calls, answers like Slack, checks Block Kit."""

from __future__ import annotations

import copy
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from types import TracebackType
from typing import Any

from tests.slackstandin.blockkit import check_blocks
from tests.slackstandin.faults import Failure, FaultControls, Faults, wait
from tests.slackstandin.transport import decode_params, make_handler
from tests.slackstandin.webapi import SlackError, WebApi, invalid_blocks, resolve_channel


@dataclass(frozen=True)
class Call:
    """One recorded request to the stand-in."""

    method: str
    params: dict[str, Any]
    ok: bool
    error: str | None
    response: dict[str, Any]
    # time.perf_counter(): when a response_url POST arrived (its body read), else when recorded
    at: float = field(default_factory=time.perf_counter)


class SlackStandIn(FaultControls):
    """A loopback HTTP server standing in for slack.com's Web API.

    Besides the Web API it serves response URLs (`new_response_url`) and the upload URLs of
    the v2 file upload (`/upload/<file_id>`). Fault injection (`fail_next`, `fail_randomly`,
    `delay_next`, `latency`, `limit`, ...) comes from `FaultControls`.
    """

    def __init__(self, token: str = "xoxb-test", trigger_ttl: float = 3.0) -> None:
        self.token = token
        self.trigger_ttl = trigger_ttl
        self.lock = threading.RLock()
        self._changed = threading.Condition(self.lock)
        self.calls: list[Call] = []
        self.faults = Faults()
        self._response_urls: set[str] = set()
        self._answers: dict[str, list[Call]] = {}  # POSTs to each response_url, by token
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.api = self._new_api()

    def _new_api(self) -> WebApi:
        api = WebApi(self.trigger_ttl)
        if self._server is not None:
            api.base_url = self.base_url
        return api

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> SlackStandIn:
        """Bind 127.0.0.1 on a free port and serve in a daemon thread."""
        if self._server is not None:
            return self
        server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(self))
        server.daemon_threads = True
        self._server = server
        self.api.base_url = self.base_url
        self._thread = threading.Thread(
            target=server.serve_forever, args=(0.05,), name="slack-standin", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Shut the server down and wait for its thread."""
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> SlackStandIn:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:PORT` (the server must be started)."""
        if self._server is None:
            raise RuntimeError("SlackStandIn is not started")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def api_url(self) -> str:
        """Web API base URL for `WebClient(base_url=...)`, with trailing slash."""
        return f"{self.base_url}/api/"

    # -- recording -------------------------------------------------------------------------
    def calls_to(self, method: str) -> list[Call]:
        """All recorded calls of `method`, in order."""
        with self.lock:
            return [c for c in self.calls if c.method == method]

    def ok_calls(self, method: str) -> list[Call]:
        """Recorded calls of `method` that succeeded."""
        return [c for c in self.calls_to(method) if c.ok]

    def reset(self) -> None:
        """Forget calls, messages, views, files, triggers, response URLs, pending failures and
        delays; keep rate limits (with full buckets), random failures and latency."""
        with self.lock:
            self.calls.clear()
            self.faults.reset()
            self._response_urls.clear()
            self._answers.clear()
            self.api = self._new_api()

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Block until at least `count` successful calls of `method` are recorded; return them."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                done = [c for c in self.calls if c.method == method and c.ok]
                if len(done) >= count:
                    return done
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = ", ".join(f"{c.method}({'ok' if c.ok else c.error})" for c in self.calls)
                    raise AssertionError(
                        f"expected {count} successful {method} call(s) within {timeout}s, "
                        f"got {len(done)}; calls seen: {seen or 'none'}"
                    )
                self._changed.wait(remaining)

    def wait_for_response(self, url: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Block until `count` POSTs to the response_url `url` (or its token) are recorded;
        return every one so far, in order."""
        token = url.rsplit("/response/", 1)[-1]
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(answers := self._answers.get(token, [])) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"expected {count} POST(s) to response_url {token} "
                                         f"within {timeout}s, got {len(answers)}")
                self._changed.wait(remaining)
            return list(answers)

    def _record(self, call: Call) -> None:
        with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    # -- Slack state accessors (delegating to the Web API model) ----------------------------
    def issue_trigger(self, user: str | None = None) -> str:
        """A fresh trigger_id, valid once for `trigger_ttl` seconds (optionally tied to a user)."""
        with self.lock:
            return self.api.issue_trigger(user)

    def set_timezone(self, user: str, zone: str) -> None:
        """Give ``user`` the IANA time zone ``zone`` that users.info answers (until a reset)."""
        with self.lock:
            self.api.user_zones[user] = zone

    def set_locale(self, user: str, locale: str) -> None:
        """Give ``user`` the Slack locale (``zh-CN``) users.info answers with include_locale."""
        with self.lock:
            self.api.user_locales[user] = locale

    def messages(self, channel: str | None = None) -> list[dict[str, Any]]:
        """Stored messages (channel, ts, thread_ts, text, blocks, metadata), optionally filtered."""
        with self.lock:
            return [
                copy.deepcopy(m)
                for m in self.api.messages
                if channel is None or m["channel"] == channel
            ]

    def ephemerals(self, user: str | None = None) -> list[dict[str, Any]]:
        """Stored ephemeral messages, optionally for one user."""
        with self.lock:
            return [
                copy.deepcopy(m) for m in self.api.ephemerals if user is None or m["user"] == user
            ]

    def view(self, view_id: str) -> dict[str, Any] | None:
        """The current stored version of a modal view by id."""
        with self.lock:
            found = self.api.views.get(view_id)
            return copy.deepcopy(found) if found is not None else None

    def views(self, user: str | None = None) -> list[dict[str, Any]]:
        """Current modal views, ordered by their latest open/push/update; optionally by user."""
        with self.lock:
            order = [vid for vid, who in self.api.view_log if user is None or who == user]
            latest = list(dict.fromkeys(reversed(order)))[::-1]
            return [copy.deepcopy(self.api.views[vid]) for vid in latest]

    def home_view(self, user_id: str) -> dict[str, Any] | None:
        """The latest home view published for `user_id`."""
        with self.lock:
            found = self.api.homes.get(user_id)
            return copy.deepcopy(found) if found is not None else None

    def uploaded_files(self) -> list[dict[str, Any]]:
        """Completed v2 uploads: id, filename, title, bytes, length, alt_txt, snippet_type,
        channel (the first shared to, or None), channels and thread_ts."""
        with self.lock:
            return self.api.completed_files()

    def share_file(self, user: str, filename: str, data: bytes,
                   channel: str | None = None) -> str:
        """Keep a file ``user`` shares (default: in their DM with the app); its id, for the
        ``file_shared`` event to carry."""
        with self.lock:
            return self.api.share_from_user(user, filename, data, channel)

    def new_response_url(self) -> str:
        """A fresh response_url on this stand-in; POSTs to it are recorded as `response_url`."""
        token = secrets.token_urlsafe(12)
        with self.lock:
            self._response_urls.add(token)
        return f"{self.base_url}/response/{token}"

    # -- request handling ------------------------------------------------------------------
    def _authorized(self, params: dict[str, Any], header: str | None) -> str | None:
        token = params.get("token")
        if header and header.lower().startswith("bearer "):
            token = header[7:].strip()
        if not token:
            return "not_authed"
        return None if token == self.token else "invalid_auth"

    def handle_api(
        self, method: str, params: dict[str, Any], auth_header: str | None
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        """Answer one Web API call: (HTTP status, JSON body, extra headers)."""
        params = decode_params(params)
        if self.faults.latency > 0:
            time.sleep(self.faults.latency)
        delay = self.faults.take_delay(method)
        wait(delay, after_effect=False)
        status, body, headers = self._answer(method, params, auth_header)
        omission = self.faults.take_omission(method) if body.get("ok") else None
        if omission is not None:
            body = {k: v for k, v in body.items() if k != omission.field}
        params.pop("token", None)
        self._record(Call(method, params, bool(body["ok"]), body.get("error"), body))
        wait(delay, after_effect=True)
        return status, body, headers

    def _answer(
        self, method: str, params: dict[str, Any], auth_header: str | None
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        """Injected failure, auth, rate limits, random failure, then the method itself."""
        failure = self.faults.take_failure(method)
        if failure is None:
            if (auth_error := self._authorized(params, auth_header)) is not None:
                return 200, {"ok": False, "error": auth_error}, {}
            channel = params.get("channel") or params.get("channel_id")
            channel = resolve_channel(channel) if isinstance(channel, str) else None
            retry_after = self.faults.limits.check(method, channel)
            if retry_after is not None:
                body = {"ok": False, "error": "ratelimited"}
                return 429, body, {"Retry-After": str(retry_after)}
            failure = self.faults.random_failure(method)
        if failure is not None:
            return failure.status, {"ok": False, "error": failure.error}, self._retry(failure)
        return 200, self._dispatch(method, params), {}

    def _retry(self, failure: Failure) -> dict[str, str]:
        if failure.status != 429:
            return {}
        self.faults.limits.count_limited()
        return {"Retry-After": failure.retry_after}

    def _dispatch(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        handler: Callable[[dict[str, Any]], dict[str, Any]] | None = self.api.handlers.get(method)
        if handler is None:
            return {"ok": False, "error": "unknown_method"}
        try:
            with self.lock:
                return {"ok": True, **handler(params)}
        except SlackError as e:
            return {"ok": False, "error": e.error, **e.extra}

    def handle_response_url(self, token: str, payload: Any) -> tuple[int, dict[str, Any]]:
        """Answer a POST to a response_url; the recorded params carry its `_token`."""
        received = time.perf_counter()
        params = payload if isinstance(payload, dict) else {"_body": payload}
        params = {**params, "_token": token}
        with self.lock:
            known = token in self._response_urls
        failure = self.faults.take_failure("response_url") if known else None
        body: dict[str, Any]
        if not known:
            status, body = 404, {"ok": False, "error": "no_such_response_url"}
        elif failure is not None:
            status, body = failure.status, {"ok": False, "error": failure.error}
        elif not isinstance(payload, dict):
            status, body = 400, {"ok": False, "error": "invalid_payload"}
        elif "blocks" in payload and (problems := check_blocks(payload["blocks"], "message")):
            status, body = 200, invalid_blocks(problems)
        else:
            status, body = 200, {"ok": True}
        call = Call("response_url", params, bool(body["ok"]), body.get("error"), body, received)
        with self._changed:
            if known:
                self._answers.setdefault(token, []).append(call)
            self._record(call)
        return status, body

    def handle_download(self, file_id: str, auth_header: str | None) -> tuple[int, bytes]:
        """Answer a GET of a file's url_private_download: its bytes, given the token."""
        error = self._authorized({}, auth_header)
        with self.lock:
            data = None if error else self.api.download(file_id)
        status = 403 if error else 404 if data is None else 200
        self._record(Call("download", {"file_id": file_id}, status == 200,
                          error or (None if data is not None else "not_found"),
                          {"status": status, "length": len(data or b"")}))
        return status, data or b""

    def handle_upload(self, file_id: str, data: bytes) -> tuple[int, str]:
        """Answer a POST of a file's bytes to its upload URL: (HTTP status, plain-text body)."""
        delay = self.faults.take_delay("upload_url")
        wait(delay, after_effect=False)
        failure = self.faults.take_failure("upload_url") or self.faults.random_failure("upload_url")
        if failure is not None:
            status, text = failure.status, failure.error
        else:
            with self.lock:
                status, text = self.api.receive_upload(file_id, data)
        response = {"status": status, "body": text}
        params = {"file_id": file_id, "length": len(data)}
        error = None if status == 200 else (failure.error if failure else "not_found")
        self._record(Call("upload_url", params, status == 200, error, response))
        wait(delay, after_effect=True)
        return status, text
