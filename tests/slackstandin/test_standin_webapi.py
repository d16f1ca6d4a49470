"""The Slack stand-in answers like Slack: auth, messages, threads, views, triggers, failures."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from tests.slackstandin import (
    SlackStandIn,
    latest_view,
)
from tests.support.standin_kit import checkin_modal, reminder_blocks, section, slack_error

SECRET = "standin-signing-secret"


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


