"""The stand-in misbehaves like Slack on demand: rate limits, random 5xx, slow answers."""

from __future__ import annotations

import threading
import time
import urllib.error
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from tests.slackstandin import SlackStandIn
from tests.support.standin_kit import slack_error

TIMEOUTS = (TimeoutError, urllib.error.URLError)


@pytest.fixture
def bare(standin: SlackStandIn) -> WebClient:
    """A client that never retries, so every answer reaches the test."""
    return WebClient(base_url=standin.api_url, token="xoxb-test", retry_handlers=[])


def post(client: WebClient, channel: str = "C1", text: str = "x") -> str:
    return str(client.chat_postMessage(channel=channel, text=text)["ts"])


def limited(client: WebClient, channel: str = "C1") -> SlackApiError:
    with pytest.raises(SlackApiError) as caught:
        post(client, channel)
    return caught.value


# -- rate limits -------------------------------------------------------------------------------


def test_limit_answers_429_with_retry_after_and_no_effect(
    standin: SlackStandIn, bare: WebClient
) -> None:
    standin.limit("chat.postMessage", per_minute=20, burst=2)  # a token every 3 seconds
    post(bare)
    post(bare)
    error = limited(bare)
    assert error.response.status_code == 429
    assert error.response["error"] == "ratelimited"
    assert error.response.headers["Retry-After"] == "3"
    assert len(standin.messages("C1")) == 2
    assert [c.error for c in standin.calls_to("chat.postMessage")] == [None, None, "ratelimited"]
    assert standin.rate_limited_count() == 1
    assert bare.auth_test()["ok"]  # other methods are not limited


def test_bucket_refills_at_its_rate(standin: SlackStandIn, bare: WebClient) -> None:
    standin.limit("chat.postMessage", per_minute=300)  # a token every 0.2 s
    post(bare)
    assert limited(bare).response.headers["Retry-After"] == "1"  # 0.2 s, rounded up
    time.sleep(0.25)
    post(bare)
    assert len(standin.messages("C1")) == 2
    assert standin.rate_limited_count() == 1


def test_limit_per_channel_is_independent_per_channel(
    standin: SlackStandIn, bare: WebClient
) -> None:
    standin.limit_per_channel("chat.postMessage", per_second=5)
    post(bare, "C1")
    post(bare, "C2")
    post(bare, "U7")
    assert limited(bare, "C1").response.headers["Retry-After"] == "1"
    assert limited(bare, "D7").response.status_code == 429  # U7 resolves to its DM, D7
    time.sleep(0.25)
    post(bare, "C1")
    assert [len(standin.messages(c)) for c in ("C1", "C2", "D7")] == [2, 1, 1]
    assert standin.rate_limited_count() == 2


def test_method_and_channel_limits_combine_and_clear(
    standin: SlackStandIn, bare: WebClient
) -> None:
    standin.limit("chat.postMessage", per_minute=6, burst=2)
    standin.limit_per_channel("chat.postMessage", per_second=1)
    post(bare, "C1")
    assert limited(bare, "C1").response.headers["Retry-After"] == "1"
    post(bare, "C2")  # the refused call took no method-wide token
    assert limited(bare, "C3").response.headers["Retry-After"] == "10"
    standin.clear_limits()
    post(bare, "C1")
    assert standin.rate_limited_count() == 2


def test_reset_keeps_limits_with_full_buckets(standin: SlackStandIn, bare: WebClient) -> None:
    standin.limit("chat.postMessage", per_minute=1)
    post(bare)
    assert limited(bare).response.headers["Retry-After"] == "60"
    standin.reset()
    assert standin.rate_limited_count() == 0
    post(bare)
    assert limited(bare).response.status_code == 429


def test_limit_holds_under_concurrent_calls(standin: SlackStandIn, bare: WebClient) -> None:
    standin.limit("chat.postMessage", per_minute=1, burst=3)
    errors: list[int] = []

    def send() -> None:
        try:
            post(bare)
        except SlackApiError as e:
            errors.append(e.response.status_code)

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(standin.messages("C1")) == 3
    assert errors == [429] * 5
    assert standin.rate_limited_count() == 5


# -- random failures ---------------------------------------------------------------------------


def run(client: WebClient, calls: int) -> list[str | None]:
    """Post `calls` messages; `status:error` of each failure, None when it went through."""
    outcomes: list[str | None] = []
    for i in range(calls):
        try:
            post(client, text=str(i))
            outcomes.append(None)
        except SlackApiError as e:
            outcomes.append(f"{e.response.status_code}:{e.response['error']}")
    return outcomes


def test_fail_randomly_respects_share_and_seed(standin: SlackStandIn, bare: WebClient) -> None:
    standin.fail_randomly("chat.postMessage", 0.3, status=503, error="service_unavailable", seed=7)
    first = run(bare, 100)
    failed = sum(e is not None for e in first)
    assert 15 <= failed <= 45
    assert set(first) == {None, "503:service_unavailable"}
    stored = [m["text"] for m in standin.messages("C1")]
    assert stored == [str(i) for i, e in enumerate(first) if e is None]  # failures: no effect
    standin.fail_randomly("chat.postMessage", 0.3, status=503, error="service_unavailable", seed=7)
    assert run(bare, 100) == first  # same seed, same outcome
    standin.fail_randomly("chat.postMessage", 0)
    assert run(bare, 20) == [None] * 20


# -- slow answers ------------------------------------------------------------------------------


@pytest.fixture
def impatient(standin: SlackStandIn) -> WebClient:
    """A client that gives up after 0.3 s (slack_sdk passes the float on to urllib)."""
    timeout: Any = 0.3
    return WebClient(
        base_url=standin.api_url, token="xoxb-test", timeout=timeout, retry_handlers=[]
    )


def test_delay_before_effect_times_out_without_posting(
    standin: SlackStandIn, impatient: WebClient
) -> None:
    standin.delay_next("chat.postMessage", 0.6)
    with pytest.raises(TIMEOUTS):
        post(impatient, text="slow")
    assert standin.messages("C1") == []
    [call] = standin.wait_for("chat.postMessage", timeout=2)  # the server still answers, late
    assert call.params["text"] == "slow"
    assert [m["text"] for m in standin.messages("C1")] == ["slow"]
    post(impatient, text="quick")  # only the next call was delayed


def test_delay_after_effect_times_out_although_posted(
    standin: SlackStandIn, impatient: WebClient
) -> None:
    standin.delay_next("chat.postMessage", 0.6, times=2, after_effect=True)
    for text in ("in doubt", "again"):
        started = time.monotonic()
        with pytest.raises(TIMEOUTS):
            post(impatient, text=text)
        assert time.monotonic() - started < 0.55
    assert [m["text"] for m in standin.messages("C1")] == ["in doubt", "again"]
    post(impatient, text="quick")


def test_delay_does_not_block_other_calls(standin: SlackStandIn, bare: WebClient) -> None:
    standin.delay_next("chat.postMessage", 0.5)
    slow = threading.Thread(target=post, args=(bare, "C1", "slow"))
    slow.start()
    time.sleep(0.05)
    started = time.monotonic()
    post(bare, "C2", "fast")
    assert time.monotonic() - started < 0.3
    assert standin.messages("C1") == []
    slow.join()
    assert [m["text"] for m in standin.messages()] == ["fast", "slow"]


def test_latency_slows_every_call(standin: SlackStandIn, bare: WebClient) -> None:
    standin.latency(0.15)
    started = time.monotonic()
    bare.auth_test()
    post(bare)
    assert time.monotonic() - started >= 0.3
    standin.latency(0)
    started = time.monotonic()
    bare.auth_test()
    assert time.monotonic() - started < 0.15


def test_fail_next_429_counts_as_rate_limited(standin: SlackStandIn, bare: WebClient) -> None:
    standin.fail_next("chat.postMessage", status=429)
    assert limited(bare).response.headers["Retry-After"] == "1"
    assert standin.rate_limited_count() == 1
    with pytest.raises(SlackApiError) as unknown:
        bare.api_call("chat.teleport")
    assert slack_error(unknown) == "unknown_method"
