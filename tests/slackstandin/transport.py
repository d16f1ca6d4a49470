"""The stand-in's HTTP layer: parse Slack-style requests and hand them to the SlackStandIn."""

from __future__ import annotations

import contextlib
import json
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

if TYPE_CHECKING:
    from tests.slackstandin.server import SlackStandIn

JSON_FIELDS = ("blocks", "view", "attachments", "metadata", "files")


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
            self._send_bytes(status, json.dumps(body).encode(), "application/json", headers)

        def _send_bytes(
            self, status: int, data: bytes, content_type: str, headers: dict[str, str]
        ) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", f"{content_type}; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):  # The client gave up (a timeout).
                self.close_connection = True

        def _raw(self) -> bytes:
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""

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
            if url.path.startswith("/upload/"):  # File bytes, as they come: not decoded.
                status, text = standin.handle_upload(url.path[8:], self._raw())
                self._send_bytes(status, text.encode(), "text/plain", {})
                return
            if url.path.startswith("/download/"):  # url_private_download: the bytes, with the token
                file_id = url.path[10:].split("/", 1)[0]
                status, data = standin.handle_download(file_id, self.headers.get("Authorization"))
                self._send_bytes(status, data, "application/octet-stream", {})
                return
            raw = self._raw().decode("utf-8")
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
