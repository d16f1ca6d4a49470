"""The stand-in's HTTP layer: parse Slack-style requests and hand them to the SlackStandIn."""

from __future__ import annotations

import contextlib
import json
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

if TYPE_CHECKING:
    from tests.slackstandin.server import SlackStandIn

JSON_FIELDS = ("blocks", "view", "attachments", "metadata")


def decode_params(raw: dict[str, Any]) -> dict[str, Any]:
    """Decode JSON-string fields (blocks, view, ...) that arrive in form-encoded calls."""
    params = dict(raw)
    for key in JSON_FIELDS:
        if isinstance(params.get(key), str):
            with contextlib.suppress(json.JSONDecodeError):  # else the checks will complain
                params[key] = json.loads(params[key])
    return params


def make_handler(standin: SlackStandIn) -> type[BaseHTTPRequestHandler]:
    """A request handler class bound to `standin`."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass  # Keep test output quiet.

        def _send(self, status: int, body: dict[str, Any], headers: dict[str, str]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def _body(self) -> str:
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length).decode("utf-8") if length else ""

        def do_GET(self) -> None:
            self.do_POST()

        def do_POST(self) -> None:
            try:
                self._serve()
            except Exception as e:  # A stand-in bug: answer loudly rather than drop the socket.
                self._send(500, {"ok": False, "error": "standin_error", "detail": repr(e)}, {})
                raise

        def _serve(self) -> None:
            url = urlsplit(self.path)
            raw = self._body()
            params: dict[str, Any] = dict(parse_qsl(url.query, keep_blank_values=True))
            content_type = (self.headers.get("Content-Type") or "").lower()
            try:
                parsed: Any = json.loads(raw) if "json" in content_type and raw else None
            except json.JSONDecodeError:
                self._send(200, {"ok": False, "error": "invalid_json"}, {})
                return
            if url.path.startswith("/api/"):
                if isinstance(parsed, dict):
                    params.update(parsed)
                elif raw and "json" not in content_type:
                    params.update(parse_qsl(raw, keep_blank_values=True))
                auth = self.headers.get("Authorization")
                status, body, headers = standin.handle_api(url.path[5:], params, auth)
                self._send(status, body, headers)
            elif url.path.startswith("/response/"):
                status, body = standin.handle_response_url(url.path[10:], parsed)
                self._send(status, body, {})
            else:
                self._send(404, {"ok": False, "error": "not_found"}, {})

    return Handler
