"""Message metadata is checked like Slack does; history and replies read back what was posted."""

from __future__ import annotations

import json
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from tests.slackstandin import SlackStandIn
from tests.support.standin_kit import slack_error

DIGEST = {"event_type": "checkin_digest", "event_payload": {"period": "2026-10"}}


@pytest.fixture
def bare(standin: SlackStandIn) -> WebClient:
    return WebClient(base_url=standin.api_url, token="xoxb-test", retry_handlers=[])


def texts(messages: Any) -> list[str]:
    return [m["text"] for m in messages]


# -- metadata ----------------------------------------------------------------------------------


def test_valid_metadata_is_stored(standin: SlackStandIn, bare: WebClient) -> None:
    posted = bare.chat_postMessage(channel="C1", text="Digest", metadata=DIGEST)
    assert posted["message"]["metadata"] == DIGEST
    form = {"channel": "C1", "text": "Form", "metadata": json.dumps(DIGEST)}
    bare.api_call("chat.postMessage", data=form)
    assert [m["metadata"] for m in standin.messages("C1")] == [DIGEST, DIGEST]


@pytest.mark.parametrize(
    "metadata",
    [
        "not json",
        ["checkin_digest"],
        {"event_payload": {"period": "2026-10"}},
        {"event_type": "checkin digest", "event_payload": {}},
        {"event_type": "x" * 256, "event_payload": {}},
        {"event_type": 7, "event_payload": {}},
        {"event_type": "checkin_digest"},
        {"event_type": "checkin_digest", "event_payload": ["2026-10"]},
        {"event_type": "checkin_digest", "event_payload": "2026-10"},
    ],
)
def test_malformed_metadata_is_refused(
    standin: SlackStandIn, bare: WebClient, metadata: Any
) -> None:
    with pytest.raises(SlackApiError) as bad:
        bare.api_call("chat.postMessage", json={"channel": "C1", "text": "x", "metadata": metadata})
    assert slack_error(bad) == "invalid_metadata_format"
    raw = metadata if isinstance(metadata, str) else json.dumps(metadata)
    with pytest.raises(SlackApiError) as bad_form:
        bare.api_call("chat.postMessage", data={"channel": "C1", "text": "x", "metadata": raw})
    assert slack_error(bad_form) == "invalid_metadata_format"
    assert standin.messages() == []


def test_update_checks_and_replaces_metadata(standin: SlackStandIn, bare: WebClient) -> None:
    ts = bare.chat_postMessage(channel="C1", text="Digest", metadata=DIGEST)["ts"]
    with pytest.raises(SlackApiError) as bad:
        bare.chat_update(channel="C1", ts=ts, text="Edited", metadata={"event_type": "a b"})
    assert slack_error(bad) == "invalid_metadata_format"
    [unchanged] = standin.messages("C1")
    assert (unchanged["text"], unchanged["metadata"]) == ("Digest", DIGEST)
    late = {"event_type": "checkin_digest", "event_payload": {"period": "2026-10", "late": 1}}
    bare.chat_update(channel="C1", ts=ts, text="Edited", metadata=late)
    [edited] = standin.messages("C1")
    assert (edited["text"], edited["metadata"]) == ("Edited", late)


# -- conversations.history ---------------------------------------------------------------------


def seed(client: WebClient) -> list[str]:
    """Five top-level messages in C1 (the second with two replies) and one in C2."""
    stamps = []
    for i in range(5):
        meta = {"event_type": "seq", "event_payload": {"i": i}}
        stamps.append(str(client.chat_postMessage(channel="C1", text=f"m{i}", metadata=meta)["ts"]))
        if i == 1:
            for r in range(2):
                client.chat_postMessage(channel="C1", text=f"r{r}", thread_ts=stamps[1])
    client.chat_postMessage(channel="C2", text="elsewhere")
    return stamps


def test_history_pages_newest_first_without_replies(bare: WebClient) -> None:
    stamps = seed(bare)
    first = bare.conversations_history(channel="C1", limit=2)
    assert texts(first["messages"]) == ["m4", "m3"]
    assert first["has_more"] is True
    cursor = first["response_metadata"]["next_cursor"]
    second = bare.conversations_history(channel="C1", limit=2, cursor=cursor)
    assert texts(second["messages"]) == ["m2", "m1"]
    parent = second["messages"][1]
    assert (parent["thread_ts"], parent["reply_count"]) == (stamps[1], 2)
    assert parent["latest_reply"] > stamps[1]
    assert "thread_ts" not in second["messages"][0]
    last = bare.conversations_history(
        channel="C1", limit=2, cursor=second["response_metadata"]["next_cursor"]
    )
    assert texts(last["messages"]) == ["m0"]
    assert last["has_more"] is False
    assert not last["response_metadata"]["next_cursor"]
    pages = [texts(page["messages"]) for page in bare.conversations_history(channel="C1", limit=3)]
    assert pages == [["m4", "m3", "m2"], ["m1", "m0"]]  # slack_sdk's own paging


def test_history_messages_look_like_slacks(bare: WebClient) -> None:
    seed(bare)
    plain = bare.conversations_history(channel="C1")["messages"]
    assert len(plain) == 5
    newest = plain[0]
    assert (newest["type"], newest["user"], newest["bot_id"]) == ("message", "UBOT", "B0BOT")
    assert all("metadata" not in m for m in plain)
    full = bare.conversations_history(channel="C1", include_all_metadata=True)["messages"]
    assert [m["metadata"]["event_payload"]["i"] for m in full] == [4, 3, 2, 1, 0]


def test_history_window_and_errors(bare: WebClient) -> None:
    stamps = seed(bare)
    window = bare.conversations_history(channel="C1", oldest=stamps[1], latest=stamps[3])
    assert texts(window["messages"]) == ["m2"]
    inclusive = bare.conversations_history(
        channel="C1", oldest=stamps[1], latest=stamps[3], inclusive=True
    )
    assert texts(inclusive["messages"]) == ["m3", "m2", "m1"]
    dm = bare.chat_postMessage(channel="U42", text="hi")["channel"]
    assert texts(bare.conversations_history(channel=dm)["messages"]) == ["hi"]
    with pytest.raises(SlackApiError) as user_id:
        bare.conversations_history(channel="U42")
    assert slack_error(user_id) == "channel_not_found"
    with pytest.raises(SlackApiError) as cursor:
        bare.conversations_history(channel="C1", cursor="bm9wZQ==")
    assert slack_error(cursor) == "invalid_cursor"


# -- conversations.replies ---------------------------------------------------------------------


def test_replies_parent_then_replies_paged(bare: WebClient) -> None:
    stamps = seed(bare)
    first = bare.conversations_replies(channel="C1", ts=stamps[1], limit=2)
    assert texts(first["messages"]) == ["m1", "r0"]
    assert first["messages"][0]["reply_count"] == 2
    assert first["messages"][1]["thread_ts"] == stamps[1]
    assert first["messages"][1]["parent_user_id"] == "UBOT"
    assert first["has_more"] is True
    rest = bare.conversations_replies(
        channel="C1", ts=stamps[1], limit=2, cursor=first["response_metadata"]["next_cursor"]
    )
    assert texts(rest["messages"]) == ["r1"]
    assert rest["has_more"] is False
    whole = bare.conversations_replies(channel="C1", ts=stamps[1], include_all_metadata=True)
    assert texts(whole["messages"]) == ["m1", "r0", "r1"]
    assert whole["messages"][0]["metadata"]["event_payload"] == {"i": 1}
    assert "metadata" not in first["messages"][0]
    by_reply = bare.conversations_replies(channel="C1", ts=first["messages"][1]["ts"])
    assert texts(by_reply["messages"]) == ["m1", "r0", "r1"]
    lone = bare.conversations_replies(channel="C1", ts=stamps[0])
    assert texts(lone["messages"]) == ["m0"]


def test_replies_of_a_missing_thread(bare: WebClient) -> None:
    stamps = seed(bare)
    with pytest.raises(SlackApiError) as missing:
        bare.conversations_replies(channel="C1", ts="1767000000.999999")
    assert slack_error(missing) == "thread_not_found"
    with pytest.raises(SlackApiError) as other_channel:
        bare.conversations_replies(channel="C2", ts=stamps[1])
    assert slack_error(other_channel) == "thread_not_found"
