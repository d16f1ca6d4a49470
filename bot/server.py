"""The HTTP edge on waitress: ``POST /slack/events`` into Bolt, ``/healthz``, ``/metrics``."""

from __future__ import annotations

import contextvars
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from sqlalchemy import text

from bot.deps import Deps
from bot.gate import (
    MAX_BODY_BYTES,
    Refusal,
    check_shape,
    check_signature,
    log_refusal,
    read_limited,
)
from bot.metrics import CONTENT_TYPE, Metrics, request_kind
from bot.probe import Probe, ProbeTimeout

log = logging.getLogger(__name__)
_STATUS = {400: "400 Bad Request", 401: "401 Unauthorized",
           413: "413 Request Entity Too Large"}
EVENTS_PATH = "/slack/events"
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def make_wsgi(app: App, deps: Deps, metrics: Metrics | None = None) -> WsgiApp:
    """One WSGI application: Slack's requests to Bolt, health checks and metrics answered here."""
    slack = SlackRequestHandler(app, path=EVENTS_PATH)
    metrics = metrics or Metrics(deps.engine)
    health = Probe(lambda: check_health(deps))

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
        if path == "/healthz" and method in ("GET", "HEAD"):
            try:
                healthy, detail = health()
            except ProbeTimeout:
                log.warning("health check: the database did not answer in time")
                healthy, detail = False, "unavailable"
            return _json(start_response, "200 OK" if healthy else "503 Service Unavailable",
                         {"status": "ok" if healthy else "unavailable", "database": detail})
        if path == "/metrics" and method in ("GET", "HEAD"):
            data = metrics.exposition()
            start_response("200 OK", [("Content-Type", CONTENT_TYPE),
                                      ("Content-Length", str(len(data)))])
            return [] if method == "HEAD" else [data]
        if path == EVENTS_PATH:
            return _measured(slack, deps, metrics, environ, start_response)
        return _json(start_response, "404 Not Found", {"error": "not found"})

    return wsgi


def _measured(slack: WsgiApp, deps: Deps, metrics: Metrics, environ: dict[str, Any],
              start_response: Callable[..., Any]) -> Iterable[bytes]:
    """Pass a verified Slack request to Bolt, counting it by kind and status and timing its
    answer; anything unverified, oversized or malformed is answered here and goes no further."""
    started = time.perf_counter()
    body = read_limited(environ)
    refusal = body if isinstance(body, Refusal) else check_signature(
        deps.settings.slack_signing_secret, body, environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP"),
        environ.get("HTTP_X_SLACK_SIGNATURE"))
    if refusal is not None:
        log_refusal(environ, refusal, len(body) if isinstance(body, bytes) else 0)
        metrics.observe("refused", "", refusal.status, time.perf_counter() - started)
        return _json(start_response, _STATUS[refusal.status], {"error": refusal.reason})
    assert isinstance(body, bytes)
    shape = check_shape(body, str(environ.get("CONTENT_TYPE") or ""))
    if shape is not None:  # signed by Slack, but nothing a listener could act on
        log_refusal(environ, shape, len(body))
        metrics.observe("other", "", 200, time.perf_counter() - started)
        start_response("200 OK", [("Content-Length", "0")])
        return []
    environ["wsgi.input"] = BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    kind, command = request_kind(body)
    status = [500]

    def recording(status_line: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
        status[0] = int(status_line.split(" ", 1)[0])
        return start_response(status_line, headers, *rest)

    try:
        # Bolt answers with the acknowledgement and does the slow work afterwards, so the
        # handler's return is when Slack gets its answer. Each request runs in a context of
        # its own: what it sets for its reader (their language) ends with it.
        return contextvars.copy_context().run(slack, environ, recording)
    finally:
        metrics.observe(kind, command, status[0], time.perf_counter() - started)


def check_health(deps: Deps) -> tuple[bool, str]:
    """Whether the database answers."""
    try:
        with deps.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:
        log.warning("health check: database unavailable: %s", type(exc).__name__)
        return False, "unavailable"
    return True, "ok"


def _json(start_response: Callable[..., Any], status: str, body: dict[str, Any]) -> list[bytes]:
    data = json.dumps(body).encode()
    start_response(status, [("Content-Type", "application/json"),
                            ("Content-Length", str(len(data)))])
    return [data]


# What waitress holds for the whole process: more open connections than a burst of Slack's
# requests needs, idle or half-sent ones dropped after a few seconds (Slack sends a request
# whole at once), and bodies past the gate's limit never buffered. A buffering reverse proxy in
# front (deploy/) takes the slow and half-open connections before they reach this.
SERVER_LIMITS: dict[str, Any] = {
    "connection_limit": 200,
    "channel_timeout": 5,
    "cleanup_interval": 1,
    "max_request_body_size": 2 * MAX_BODY_BYTES,
    "max_request_header_size": 64 * 1024,
}


@dataclass
class RunningServer:
    """A waitress server serving in a background thread (tests and benchmarks)."""

    server: Any
    thread: threading.Thread

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.effective_port}"

    def stop(self) -> None:
        """Stop serving: empty the event loop's map so it returns, then close every socket."""
        channels = list(self.server._map.values())
        self.server._map.clear()
        self.thread.join(timeout=5)
        for channel in channels:
            channel.close()
        self.server.task_dispatcher.shutdown()


def start_server(wsgi: WsgiApp, host: str = "127.0.0.1", port: int = 0,
                 threads: int = 16) -> RunningServer:
    """Serve ``wsgi`` on ``host:port`` (0 picks a free port) in a daemon thread."""
    from waitress.server import create_server

    server = create_server(wsgi, host=host, port=port, threads=threads, ident="checkin",
                           clear_untrusted_proxy_headers=True, asyncore_loop_timeout=0.2,
                           **SERVER_LIMITS)
    thread = threading.Thread(target=server.run, name="http", daemon=True)
    thread.start()
    return RunningServer(server, thread)


def serve_forever(wsgi: WsgiApp, host: str, port: int, threads: int = 16) -> None:
    """Serve ``wsgi`` until interrupted (``checkin serve``)."""
    from waitress import serve

    log.info("listening on http://%s:%d%s", host, port, EVENTS_PATH)
    serve(wsgi, host=host, port=port, threads=threads, ident="checkin", **SERVER_LIMITS)
