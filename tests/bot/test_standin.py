"""Tests for the Slack stand-in (tests/slackstandin): Web API, Block Kit checks, driver."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import pytest
from slack_bolt import Ack, App, BoltRequest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.signature import SignatureVerifier

from tests.slackstandin import (
    SlackDriver,
    SlackStandIn,
    check_message,
    check_view,
    check_view_response,
    latest_view,
    sign,
)

SECRET = "standin-signing-secret"


def plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text}


def section(text: str, block_id: str | None = None) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "section", "text": {"type": "mrkdwn", "text": text}}
    if block_id is not None:
        block["block_id"] = block_id
    return block


def checkin_modal(**overrides: Any) -> dict[str, Any]:
    """A realistic check-in modal: summary text, a KPI number, and a select."""
    view: dict[str, Any] = {
        "type": "modal",
        "callback_id": "checkin_submit",
        "private_metadata": json.dumps({"period": "2026-01", "team": "sales"}),
        "title": plain("January check-in"),
        "submit": plain("Submit"),
        "close": plain("Cancel"),
        "blocks": [
            {"type": "header", "text": plain("Sales — January 2026")},
            section("*Targets*: revenue 5,000 EUR", block_id="intro"),
            {"type": "divider"},
            {
                "type": "input",
                "block_id": "summary",
                "label": plain("How did the month go?"),
                "element": {
                    "type": "plain_text_input",
                    "action_id": "summary_text",
                    "multiline": True,
                    "max_length": 3000,
                    "initial_value": "Going well",
                    "placeholder": plain("A few sentences"),
                },
            },
            {
                "type": "input",
                "block_id": "revenue",
                "label": plain("Revenue (EUR)"),
                "hint": plain("Whole euros"),
                "optional": True,
                "element": {
                    "type": "number_input",
                    "action_id": "revenue_value",
                    "is_decimal_allowed": False,
                    "min_value": "0",
                },
            },
            {
                "type": "input",
                "block_id": "mood",
                "label": plain("Mood"),
                "element": {
                    "type": "static_select",
                    "action_id": "mood_pick",
                    "options": [
                        {"text": plain("Good"), "value": "good"},
                        {"text": plain("Bad"), "value": "bad"},
                    ],
                },
            },
            {"type": "context", "elements": [{"type": "mrkdwn", "text": "Due Friday"}]},
        ],
    }
    view.update(overrides)
    return view


def reminder_blocks() -> list[dict[str, Any]]:
    return [
        section("Time for your *January* check-in.", block_id="reminder"),
        {
            "type": "actions",
            "block_id": "reminder_actions",
            "elements": [
                {
                    "type": "button",
                    "action_id": "open_checkin",
                    "text": plain("Start check-in"),
                    "value": "2026-01",
                    "style": "primary",
                },
                {"type": "button", "action_id": "snooze", "text": plain("Later"), "value": "1d"},
            ],
        },
    ]


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as server:
        yield server


@pytest.fixture
def client(standin: SlackStandIn) -> WebClient:
    return WebClient(token="xoxb-test", base_url=standin.api_url)


def slack_error(excinfo: pytest.ExceptionInfo[SlackApiError]) -> str:
    return str(excinfo.value.response["error"])


# -- Web API ---------------------------------------------------------------------------------


def test_auth_test_and_auth_errors(standin: SlackStandIn, client: WebClient) -> None:
    me = client.auth_test()
    assert (me["user_id"], me["team_id"], me["bot_id"]) == ("UBOT", "T0TEST", "B0BOT")
    with pytest.raises(SlackApiError) as wrong:
        WebClient(token="xoxb-wrong", base_url=standin.api_url).auth_test()
    assert slack_error(wrong) == "invalid_auth"
    with pytest.raises(SlackApiError) as missing:
        WebClient(base_url=standin.api_url).auth_test()
    assert slack_error(missing) == "not_authed"
    with pytest.raises(SlackApiError) as unknown:
        client.api_call("chat.teleport")
    assert slack_error(unknown) == "unknown_method"
    assert [c.error for c in standin.calls] == [
        None,
        "invalid_auth",
        "not_authed",
        "unknown_method",
    ]


def test_post_message_to_user_lands_in_dm(standin: SlackStandIn, client: WebClient) -> None:
    first = client.chat_postMessage(channel="U123ABC", text="Hello", blocks=reminder_blocks())
    second = client.chat_postMessage(channel="U123ABC", text="Again")
    assert first["channel"] == second["channel"] == "D123ABC"
    assert first["ts"] == "1767000000.000100"
    assert float(second["ts"]) > float(first["ts"])
    assert first["message"]["blocks"][0]["block_id"] == "reminder"
    stored = standin.messages("D123ABC")
    assert [m["text"] for m in stored] == ["Hello", "Again"]
    assert stored[0]["blocks"] == reminder_blocks()
    assert standin.messages("D999") == []
    assert client.conversations_open(users="U123ABC")["channel"]["id"] == "D123ABC"


def test_thread_reply_needs_existing_parent(standin: SlackStandIn, client: WebClient) -> None:
    parent = client.chat_postMessage(channel="C0TEST", text="Digest")
    reply = client.chat_postMessage(channel="C0TEST", text="Details", thread_ts=parent["ts"])
    assert reply["message"]["thread_ts"] == parent["ts"]
    with pytest.raises(SlackApiError) as bad:
        client.chat_postMessage(channel="C0TEST", text="Lost", thread_ts="1767000000.999999")
    assert slack_error(bad) == "thread_not_found"
    with pytest.raises(SlackApiError) as other_channel:
        client.chat_postMessage(channel="C0OTHER", text="Lost", thread_ts=parent["ts"])
    assert slack_error(other_channel) == "thread_not_found"
    assert [m["thread_ts"] for m in standin.messages("C0TEST")] == [None, parent["ts"]]


def test_chat_update_and_ephemeral(standin: SlackStandIn, client: WebClient) -> None:
    posted = client.chat_postMessage(channel="U1", text="Start", blocks=reminder_blocks())
    updated = client.chat_update(
        channel=posted["channel"], ts=posted["ts"], text="Done", blocks=[section("Thanks!")]
    )
    assert updated["ts"] == posted["ts"]
    [stored] = standin.messages(posted["channel"])
    assert stored["text"] == "Done"
    assert stored["blocks"][0]["text"]["text"] == "Thanks!"
    with pytest.raises(SlackApiError) as missing:
        client.chat_update(channel=posted["channel"], ts="1.000001", text="x")
    assert slack_error(missing) == "message_not_found"
    eph = client.chat_postEphemeral(channel="C0TEST", user="U1", text="Only you")
    assert eph["message_ts"]
    assert standin.ephemerals("U1")[0]["text"] == "Only you"
    assert len(standin.ok_calls("chat.update")) == 1
    assert len(standin.calls_to("chat.update")) == 2


def test_form_encoded_calls_are_decoded(standin: SlackStandIn, client: WebClient) -> None:
    blocks = [section("From a form")]
    client.api_call(
        "chat.postMessage", data={"channel": "C1", "text": "t", "blocks": json.dumps(blocks)}
    )
    assert standin.messages("C1")[0]["blocks"][0]["text"]["text"] == "From a form"
    with pytest.raises(SlackApiError) as bad:
        client.api_call(
            "chat.postMessage", data={"channel": "C1", "blocks": json.dumps(blocks * 51)}
        )
    assert slack_error(bad) == "invalid_blocks"


def test_views_open_trigger_is_single_use(standin: SlackStandIn, client: WebClient) -> None:
    trigger = standin.issue_trigger("U1")
    opened = client.views_open(trigger_id=trigger, view=checkin_modal())["view"]
    assert opened["id"].startswith("V")
    assert opened["hash"]
    assert opened["state"] == {"values": {}}
    assert opened["callback_id"] == "checkin_submit"
    assert opened["root_view_id"] == opened["id"]
    assert latest_view(standin, "U1") == opened
    with pytest.raises(SlackApiError) as again:
        client.views_open(trigger_id=trigger, view=checkin_modal())
    assert slack_error(again) == "expired_trigger_id"
    with pytest.raises(SlackApiError) as unknown:
        client.views_open(trigger_id="123.456.abc", view=checkin_modal())
    assert slack_error(unknown) == "invalid_trigger_id"
    pushed = client.views_push(trigger_id=standin.issue_trigger("U1"), view=checkin_modal())
    assert pushed["view"]["previous_view_id"] == opened["id"]
    assert pushed["view"]["root_view_id"] == opened["id"]
    assert latest_view(standin)["id"] == pushed["view"]["id"]


def test_trigger_expires_after_ttl() -> None:
    with SlackStandIn(trigger_ttl=0.2) as standin:
        client = WebClient(token="xoxb-test", base_url=standin.api_url)
        trigger = standin.issue_trigger()
        time.sleep(0.3)
        with pytest.raises(SlackApiError) as late:
            client.views_open(trigger_id=trigger, view=checkin_modal())
        assert slack_error(late) == "expired_trigger_id"
        assert client.views_open(trigger_id=standin.issue_trigger(), view=checkin_modal())["ok"]


def test_views_update_hash_and_external_id(standin: SlackStandIn, client: WebClient) -> None:
    view = checkin_modal(external_id="checkin-U1-2026-01")
    opened = client.views_open(trigger_id=standin.issue_trigger(), view=view)["view"]
    first = client.views_update(view_id=opened["id"], hash=opened["hash"], view=view)["view"]
    assert first["id"] == opened["id"]
    assert first["hash"] != opened["hash"]
    with pytest.raises(SlackApiError) as stale:
        client.views_update(view_id=opened["id"], hash=opened["hash"], view=view)
    assert slack_error(stale) == "hash_conflict"
    by_external = client.views_update(external_id="checkin-U1-2026-01", view=checkin_modal())
    assert by_external["view"]["id"] == opened["id"]
    with pytest.raises(SlackApiError) as missing:
        client.views_update(view_id="V404", view=view)
    assert slack_error(missing) == "not_found"
    with pytest.raises(SlackApiError) as missing_external:
        client.views_update(external_id="nope", view=view)
    assert slack_error(missing_external) == "not_found"


def test_views_publish_stores_home(standin: SlackStandIn, client: WebClient) -> None:
    home = {"type": "home", "blocks": [section("Your check-ins"), *reminder_blocks()]}
    first = client.views_publish(user_id="U1", view=home)["view"]
    second = client.views_publish(user_id="U1", view=home, hash=first["hash"])["view"]
    assert second["id"] == first["id"]
    stored = standin.home_view("U1")
    assert stored is not None
    assert stored["hash"] == second["hash"]
    assert stored["blocks"][0]["text"]["text"] == "Your check-ins"
    assert standin.home_view("U2") is None
    with pytest.raises(SlackApiError) as modal:
        client.views_publish(user_id="U1", view=checkin_modal())
    assert slack_error(modal) == "invalid_arguments"


# -- Block Kit rejections ------------------------------------------------------------------

LONG = "x" * 3001


def _message(**kw: Any) -> tuple[str, dict[str, Any]]:
    return "chat_postMessage", {"channel": "C1", "text": "fallback", **kw}


def _modal(**kw: Any) -> tuple[str, dict[str, Any]]:
    return "views_open", {"view": checkin_modal(**kw)}


NUMBER = {"type": "number_input", "action_id": "n", "is_decimal_allowed": False}
REJECTIONS: dict[str, tuple[tuple[str, dict[str, Any]], str]] = {
    "51 blocks in a message": (_message(blocks=[{"type": "divider"}] * 51), "at most 50"),
    "101 blocks in a view": (_modal(blocks=[{"type": "divider"}] * 101), "at most 100"),
    "25-char title": (_modal(title=plain("x" * 25)), "title.text: 25 characters, at most 24"),
    "3001-char section": (
        _message(blocks=[section("ok"), section(LONG)]),
        "blocks[1].text.text: 3001 characters, at most 3000",
    ),
    "duplicate block_id": (
        _message(blocks=[section("a", "same"), section("b", "same")]),
        "blocks[1].block_id: duplicate 'same'",
    ),
    "input modal without submit": (_modal(submit=None), "submit: required"),
    "blocks without text": (
        ("chat_postMessage", {"channel": "C1", "blocks": [section("hi")]}),
        "fallback text",
    ),
    "number_input decimal initial value": (
        _modal(
            blocks=[
                {"type": "input", "label": plain("N"), "element": NUMBER | {"initial_value": "2.5"}}
            ]
        ),
        "blocks[0].element.initial_value: '2.5' is not an integer",
    ),
    "number_input initial below min": (
        _modal(
            blocks=[
                {
                    "type": "input",
                    "label": plain("N"),
                    "element": NUMBER | {"initial_value": "-1", "min_value": "0"},
                }
            ]
        ),
        "outside min_value/max_value",
    ),
    "header 151 chars": (
        _message(blocks=[{"type": "header", "text": plain("h" * 151)}]),
        "blocks[0].text.text: 151 characters, at most 150",
    ),
    "mrkdwn header": (
        _message(blocks=[{"type": "header", "text": {"type": "mrkdwn", "text": "*h*"}}]),
        "blocks[0].text.type: must be plain_text",
    ),
    "input block in a message": (
        _message(blocks=[{"type": "input", "label": plain("L"), "element": NUMBER}]),
        "input blocks are not allowed in messages",
    ),
    "button text too long": (
        _message(
            blocks=[{"type": "actions", "elements": [{"type": "button", "text": plain("b" * 76)}]}]
        ),
        "blocks[0].elements[0].text.text: 76 characters, at most 75",
    ),
}


@pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing:UserWarning")
@pytest.mark.parametrize("case", list(REJECTIONS), ids=list(REJECTIONS))
def test_block_kit_rejections(case: str, standin: SlackStandIn, client: WebClient) -> None:
    (method, kwargs), expected = REJECTIONS[case]
    if method == "views_open":
        kwargs = {**kwargs, "trigger_id": standin.issue_trigger()}
        kwargs["view"] = {k: v for k, v in kwargs["view"].items() if v is not None}
    with pytest.raises(SlackApiError) as rejected:
        getattr(client, method)(**kwargs)
    response = rejected.value.response
    assert response["error"] == "invalid_blocks"
    assert any(expected in problem for problem in response["errors"]), response["errors"]
    assert response["response_metadata"]["messages"]
    assert standin.messages() == []
    assert standin.views() == []


def test_realistic_message_and_modal_pass(standin: SlackStandIn, client: WebClient) -> None:
    assert check_message({"text": "Reminder", "blocks": reminder_blocks()}) == []
    assert check_view(checkin_modal()) == []
    client.chat_postMessage(channel="U1", text="Reminder", blocks=reminder_blocks())
    client.views_open(trigger_id=standin.issue_trigger(), view=checkin_modal())
    assert [c.method for c in standin.calls if not c.ok] == []


def test_more_block_kit_rules() -> None:
    overflow = {"type": "overflow", "options": [{"text": plain("o"), "value": "v"}] * 6}
    assert any(
        "options: 6 items" in p
        for p in check_message({"text": "t", "blocks": [section("s") | {"accessory": overflow}]})
    )
    styled = {"type": "button", "text": plain("b"), "style": "secondary"}
    assert check_message({"text": "t", "blocks": [{"type": "actions", "elements": [styled]}]})
    assert check_message({"text": "t", "blocks": [{"type": "carousel"}]})
    assert check_message({"text": "x" * 40_001})
    assert check_view(checkin_modal(private_metadata="m" * 3001))
    assert check_view({"type": "home", "blocks": [section("no submit needed")]}) == []
    assert check_view(checkin_modal(callback_id="c" * 256))


def test_check_view_response() -> None:
    view = checkin_modal()
    assert check_view_response({}, view) == []
    assert check_view_response({"response_action": "clear"}, view) == []
    assert (
        check_view_response({"response_action": "errors", "errors": {"revenue": "Bad"}}, view) == []
    )
    assert check_view_response({"response_action": "errors", "errors": {"intro": "x"}}, view)
    assert check_view_response({"response_action": "errors", "errors": {"revenue": ""}}, view)
    assert check_view_response({"response_action": "close"}, view)
    assert check_view_response({"response_action": "update", "view": checkin_modal()}, view) == []
    bad_update = {"response_action": "update", "view": checkin_modal(title=plain("t" * 30))}
    assert check_view_response(bad_update, view) == ["view.title.text: 30 characters, at most 24"]


# -- failures, waiting, response_url ---------------------------------------------------------


def test_fail_next_500_and_429(standin: SlackStandIn, client: WebClient) -> None:
    standin.fail_next("chat.postMessage", status=500)
    with pytest.raises(SlackApiError) as server_error:
        client.chat_postMessage(channel="C1", text="x")
    assert server_error.value.response.status_code == 500
    assert slack_error(server_error) == "internal_error"
    standin.fail_next("chat.postMessage", status=429, times=2)
    with pytest.raises(SlackApiError) as limited:
        client.chat_postMessage(channel="C1", text="x")
    assert limited.value.response.status_code == 429
    assert limited.value.response.headers["Retry-After"] == "1"
    assert slack_error(limited) == "ratelimited"
    retrying = WebClient(
        token="xoxb-test",
        base_url=standin.api_url,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)],
    )
    assert retrying.chat_postMessage(channel="C1", text="x")["ok"]
    assert [c.error for c in standin.calls_to("chat.postMessage")] == [
        "internal_error",
        "ratelimited",
        "ratelimited",
        None,
    ]
    assert len(standin.messages("C1")) == 1


def test_wait_for_blocks_until_call_and_explains_timeout(
    standin: SlackStandIn, client: WebClient
) -> None:
    timer = threading.Timer(0.2, lambda: client.chat_postMessage(channel="C1", text="late"))
    timer.start()
    try:
        [call] = standin.wait_for("chat.postMessage", timeout=5)
    finally:
        timer.join()
    assert call.params["text"] == "late"
    with pytest.raises(AssertionError, match=r"got 1; calls seen: chat\.postMessage\(ok\)"):
        standin.wait_for("chat.postMessage", count=2, timeout=0.2)
    standin.reset()
    assert standin.calls == []
    assert standin.messages() == []


def test_response_url(standin: SlackStandIn) -> None:
    url = standin.new_response_url()
    body = json.dumps({"text": "Saved", "replace_original": True}).encode()
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as response:
        assert json.loads(response.read()) == {"ok": True}
    [call] = standin.wait_for("response_url")
    assert call.params["replace_original"] is True
    unknown = urllib.request.Request(url + "x", body, {"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(unknown, timeout=5)
    assert missing.value.code == 404


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
