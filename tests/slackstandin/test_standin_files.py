"""The v2 file upload works end to end through slack_sdk's files_upload_v2."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from tests.slackstandin import SlackStandIn
from tests.support.standin_kit import slack_error

# A PNG signature and bytes that are not UTF-8: the stand-in must keep them as they are.
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4


@pytest.fixture
def bare(standin: SlackStandIn) -> WebClient:
    return WebClient(base_url=standin.api_url, token="xoxb-test", retry_handlers=[])


def post_bytes(url: str, data: bytes) -> tuple[int, str]:
    request = urllib.request.Request(url, data=data, method="POST")
    with urllib.request.urlopen(request, timeout=5) as response:
        return int(response.status), response.read().decode()


def test_files_upload_v2_into_a_thread_keeps_the_bytes(
    standin: SlackStandIn, bare: WebClient
) -> None:
    parent = bare.chat_postMessage(channel="C0LEAD", text="Digest")["ts"]
    done = bare.files_upload_v2(
        channel="C0LEAD",
        thread_ts=parent,
        file=PNG,
        filename="trend.png",
        title="Revenue trend",
        alt_txt="Revenue rising since May",
        initial_comment="Headline KPIs",
    )
    [shared] = done["files"]
    assert shared["title"] == "Revenue trend"
    assert done["file"]["id"] == shared["id"]
    assert shared["id"].startswith("F")
    [uploaded] = standin.uploaded_files()
    assert uploaded["bytes"] == PNG
    assert isinstance(uploaded["bytes"], bytes)
    assert (uploaded["id"], uploaded["filename"], uploaded["title"]) == (
        shared["id"],
        "trend.png",
        "Revenue trend",
    )
    assert (uploaded["channel"], uploaded["thread_ts"]) == ("C0LEAD", parent)
    assert uploaded["alt_txt"] == "Revenue rising since May"
    message = standin.messages("C0LEAD")[-1]
    assert (message["thread_ts"], message["text"]) == (parent, "Headline KPIs")
    [attached] = message["files"]
    assert (attached["id"], attached["name"], attached["mimetype"]) == (
        shared["id"],
        "trend.png",
        "image/png",
    )
    thread = bare.conversations_replies(channel="C0LEAD", ts=parent)["messages"]
    assert [m.get("files", [{}])[0].get("title") for m in thread] == [None, "Revenue trend"]
    assert [c.method for c in standin.calls[1:4]] == [
        "files.getUploadURLExternal",
        "upload_url",
        "files.completeUploadExternal",
    ]


def test_private_upload_and_text_content(standin: SlackStandIn, bare: WebClient) -> None:
    done = bare.files_upload_v2(content="period,kpi\n2026-10,5\n", filename="export.csv")
    assert done["file"]["title"] == "export.csv"
    [uploaded] = standin.uploaded_files()
    assert uploaded["bytes"] == b"period,kpi\n2026-10,5\n"
    assert (uploaded["channel"], uploaded["thread_ts"]) == (None, None)
    assert standin.messages() == []
    dm = bare.conversations_open(users="U7")["channel"]["id"]
    bare.files_upload_v2(content="x", filename="a.xlsx", channel=dm)
    assert standin.messages(dm)[0]["files"][0]["name"] == "a.xlsx"


def test_completing_a_file_that_never_arrived_fails(standin: SlackStandIn, bare: WebClient) -> None:
    reserved = bare.files_getUploadURLExternal(filename="trend.png", length=len(PNG))
    assert reserved["upload_url"] == f"{standin.base_url}/upload/{reserved['file_id']}"
    with pytest.raises(SlackApiError) as never_sent:
        bare.files_completeUploadExternal(files=[{"id": reserved["file_id"], "title": "T"}])
    assert slack_error(never_sent) == "invalid_arguments"
    with pytest.raises(SlackApiError) as unknown:
        bare.files_completeUploadExternal(files=[{"id": "F0NOPE"}])
    assert slack_error(unknown) == "file_not_found"
    assert standin.uploaded_files() == []


def test_wrong_length_and_second_completion_fail(standin: SlackStandIn, bare: WebClient) -> None:
    reserved = bare.files_getUploadURLExternal(filename="a.bin", length=10)
    assert post_bytes(reserved["upload_url"], b"12345") == (200, "OK - 5")
    with pytest.raises(SlackApiError) as short:
        bare.files_completeUploadExternal(files=[{"id": reserved["file_id"]}], channel_id="C1")
    assert slack_error(short) == "invalid_arguments"
    assert post_bytes(reserved["upload_url"], b"0123456789") == (200, "OK - 10")
    bare.files_completeUploadExternal(files=[{"id": reserved["file_id"]}], channel_id="C1")
    with pytest.raises(SlackApiError) as again:
        bare.files_completeUploadExternal(files=[{"id": reserved["file_id"]}], channel_id="C1")
    assert slack_error(again) == "invalid_arguments"
    assert len(standin.messages("C1")) == 1
    assert standin.uploaded_files()[0]["bytes"] == b"0123456789"


def test_upload_destination_errors(standin: SlackStandIn, bare: WebClient) -> None:
    with pytest.raises(SlackApiError) as user_id:
        bare.files_upload_v2(content="x", filename="a.txt", channel="U7")
    assert slack_error(user_id) == "invalid_arguments"
    with pytest.raises(SlackApiError) as no_thread:
        bare.files_upload_v2(content="x", filename="a.txt", channel="C1", thread_ts="1.000001")
    assert slack_error(no_thread) == "thread_not_found"
    assert standin.messages() == []
    assert standin.uploaded_files() == []


def test_upload_url_failure_is_injectable(standin: SlackStandIn, bare: WebClient) -> None:
    standin.fail_next("upload_url", status=500)
    with pytest.raises(urllib.error.HTTPError) as failed:  # slack_sdk lets urllib's error out
        bare.files_upload_v2(content="x", filename="a.txt", channel="C1")
    assert failed.value.code == 500
    assert [c.ok for c in standin.calls_to("upload_url")] == [False]
    assert bare.files_upload_v2(content="x", filename="a.txt", channel="C1")["ok"]
    assert len(standin.uploaded_files()) == 1
