"""The driver signs and shapes requests as Slack does; a real Bolt app runs against both."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import pytest
from slack_bolt import Ack, App, BoltRequest
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier

from tests.slackstandin import (
    SlackDriver,
    SlackStandIn,
    check_view_response,
    latest_view,
    sign,
)
from tests.support.standin_kit import checkin_modal, plain, reminder_blocks

SECRET = "standin-signing-secret"


# -- driver ----------------------------------------------------------------------------------


class Capture:
    """A fake bot endpoint: records requests and checks signatures with slack_sdk's verifier."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], str]] = []
        verifier = SignatureVerifier(SECRET)
        requests = self.requests

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                requests.append((dict(self.headers), body))
                ok = verifier.is_valid_request(body, dict(self.headers))
                data = b'{"received": true}' if ok else b"invalid signature"
                self.send_response(200 if ok else 401)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/slack/events"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def payload(self, index: int = -1) -> dict[str, Any]:
        form = parse_qs(self.requests[index][1])
        return dict(json.loads(form["payload"][0]))

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture
def capture() -> Iterator[Capture]:
    bot = Capture()
    yield bot
    bot.close()


@pytest.fixture
def driver(capture: Capture, standin: SlackStandIn) -> SlackDriver:
    return SlackDriver(capture.url, SECRET, standin)


def test_sign_verifies_with_slack_sdk() -> None:
    body = "payload=%7B%22type%22%3A%22block_actions%22%7D"
    now = int(time.time())
    headers = sign(SECRET, body, now)
    assert headers["X-Slack-Request-Timestamp"] == str(now)
    signature = headers["X-Slack-Signature"]
    assert signature.startswith("v0=")
    assert len(signature) == 67
    verifier = SignatureVerifier(SECRET)
    assert verifier.is_valid(body, str(now), signature)
    assert not verifier.is_valid(body + "x", str(now), signature)
    assert not SignatureVerifier("other").is_valid(body, str(now), signature)
    stale = sign(SECRET, body, now - 600)
    assert not verifier.is_valid(
        body, stale["X-Slack-Request-Timestamp"], stale["X-Slack-Signature"]
    )


def test_driver_post_status_and_bad_signatures(capture: Capture, driver: SlackDriver) -> None:
    good = driver.post("a=1", "application/x-www-form-urlencoded")
    assert (good.status, good.json) == (200, {"received": True})
    assert good.elapsed > 0
    assert driver.post("a=1", "application/x-www-form-urlencoded", secret="wrong").status == 401
    stale = driver.post("a=1", "application/json", timestamp=int(time.time()) - 600)
    assert stale.status == 401
    assert stale.json is None
    assert capture.requests[2][0]["Content-Type"] == "application/json"


def test_view_submission_state_shape(
    standin: SlackStandIn, client: WebClient, capture: Capture, driver: SlackDriver
) -> None:
    client.views_open(trigger_id=standin.issue_trigger("U1"), view=checkin_modal())
    view = latest_view(standin, "U1")
    assert driver.view_submission("U1", view, {"revenue": "5250", "mood": "good"}).status == 200
    payload = capture.payload()
    assert payload["type"] == "view_submission"
    assert payload["user"]["id"] == "U1"
    assert payload["view"]["id"] == view["id"]
    assert payload["view"]["private_metadata"] == view["private_metadata"]
    assert payload["view"]["state"]["values"] == {
        "summary": {"summary_text": {"type": "plain_text_input", "value": "Going well"}},
        "revenue": {"revenue_value": {"type": "number_input", "value": "5250"}},
        "mood": {
            "mood_pick": {
                "type": "static_select",
                "selected_option": {"text": plain("Good"), "value": "good"},
            }
        },
    }
    driver.view_submission("U1", view, {"summary": None, "revenue": None})
    values = capture.payload()["view"]["state"]["values"]
    assert values["summary"]["summary_text"]["value"] is None
    assert values["revenue"]["revenue_value"] == {"type": "number_input", "value": None}
    with pytest.raises(ValueError, match="intro"):
        driver.view_submission("U1", view, {"intro": "x"})
    driver.view_closed("U1", view, {})
    assert capture.payload()["type"] == "view_closed"
    assert capture.payload()["is_cleared"] is False


def test_block_action_command_and_events(
    standin: SlackStandIn, client: WebClient, capture: Capture, driver: SlackDriver
) -> None:
    posted = client.chat_postMessage(channel="U1", text="Reminder", blocks=reminder_blocks())
    driver.block_action("U1", "open_checkin", "2026-01")
    action = capture.payload()
    assert action["type"] == "block_actions"
    assert action["container"]["message_ts"] == posted["ts"]
    assert action["channel"]["id"] == "D1"
    assert action["message"]["text"] == "Reminder"
    assert action["actions"][0]["block_id"] == "reminder_actions"
    assert action["actions"][0]["value"] == "2026-01"
    assert action["response_url"].startswith(standin.base_url + "/response/")
    assert client.views_open(trigger_id=action["trigger_id"], view=checkin_modal())["ok"]

    driver.command("U1", "/checkin", "january")
    fields = {k: v[0] for k, v in parse_qs(capture.requests[-1][1]).items()}
    assert fields["command"] == "/checkin"
    assert fields["text"] == "january"
    assert (fields["user_id"], fields["channel_id"]) == ("U1", "C0TEST")
    assert fields["trigger_id"] in standin.api.triggers

    driver.app_home_opened("U1", event_id="Ev1", retry_num=1)
    headers, body = capture.requests[-1]
    envelope = json.loads(body)
    assert (envelope["type"], envelope["event_id"]) == ("event_callback", "Ev1")
    assert envelope["event"]["type"] == "app_home_opened"
    assert envelope["event"]["channel"] == "D1"
    assert headers["X-Slack-Retry-Num"] == "1"
    assert headers["X-Slack-Retry-Reason"] == "http_timeout"
    driver.url_verification("chal")
    assert json.loads(capture.requests[-1][1])["challenge"] == "chal"


# -- end to end with a real Bolt app -----------------------------------------------------------


def _serve_bolt(app: App) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"])).decode()
            response = app.dispatch(BoltRequest(body=body, headers=dict(self.headers)))
            data = response.body.encode()
            self.send_response(response.status)
            for name, values in response.headers.items():
                for value in values:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return server


def test_bolt_app_end_to_end(standin: SlackStandIn) -> None:
    app = App(
        signing_secret=SECRET,
        client=WebClient(token="xoxb-test", base_url=standin.api_url),
    )

    @app.command("/checkin")
    def open_modal(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=checkin_modal())

    @app.view("checkin_submit")
    def submit(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        values = body["view"]["state"]["values"]
        revenue = values["revenue"]["revenue_value"]["value"]
        if revenue is None:
            ack(response_action="errors", errors={"revenue": "Please enter revenue"})
            return
        ack()
        client.chat_postMessage(channel=body["user"]["id"], text=f"Saved revenue {revenue}")

    server = _serve_bolt(app)
    try:
        driver = SlackDriver(f"http://127.0.0.1:{server.server_address[1]}/", SECRET, standin)
        assert driver.command("U1", "/checkin", "").status == 200
        standin.wait_for("views.open")
        view = latest_view(standin, "U1")
        rejected = driver.view_submission("U1", view, {"revenue": None})
        assert rejected.status == 200
        assert rejected.json is not None
        assert rejected.json["response_action"] == "errors"
        assert check_view_response(rejected.json, view) == []
        accepted = driver.view_submission("U1", view, {"revenue": "5250"})
        assert (accepted.status, accepted.body) == (200, "")
        [call] = standin.wait_for("chat.postMessage")
        assert call.response["channel"] == "D1"
        assert standin.messages("D1")[0]["text"] == "Saved revenue 5250"
        assert driver.post("{}", "application/json", secret="wrong").status == 401
    finally:
        server.shutdown()
        server.server_close()

