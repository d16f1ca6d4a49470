"""The pacer on a fake clock: slots spaced by each rate, held after a 429, slowed and eased."""

from __future__ import annotations

import itertools

import pytest

from bot.outbox.pacing import MAX_SLOWDOWN, Pacer, Rates
from bot.settings import Settings


class FakeTime:
    """A clock that only moves when the pacer sleeps."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def time() -> FakeTime:
    return FakeTime()


def pacer(time: FakeTime, **settings: float) -> Pacer:
    return Pacer(Rates.from_settings(Settings(**settings)),  # type: ignore[arg-type]
                 clock=time.clock, sleep=time.sleep)


def test_rates_follow_the_settings_per_second() -> None:
    rates = Rates.from_settings(Settings(rate_post_per_minute=600, rate_tier3_per_minute=30))
    assert rates.of("chat.postMessage") == 10
    assert rates.of("conversations.history") == 0.5
    assert rates.of("chat.update") == 0.5  # tier 3
    assert rates.of("files.getUploadURLExternal") == Settings().rate_tier4_per_minute / 60
    assert rates.per_channel == 1.0


def test_calls_of_a_method_are_spaced_by_its_rate(time: FakeTime) -> None:
    pace = pacer(time, rate_post_per_minute=600, rate_channel_per_second=100)
    starts = []
    for n in range(5):
        pace.wait("chat.postMessage", f"D{n}")
        starts.append(time.now)
    assert [round(b - a, 6) for a, b in itertools.pairwise(starts)] == [0.1] * 4


def test_one_conversation_is_limited_per_second_and_others_are_not(time: FakeTime) -> None:
    pace = pacer(time, rate_post_per_minute=6000)
    assert pace.wait("chat.postMessage", "C1") == 0
    assert pace.wait("chat.postMessage", "C1") == pytest.approx(1.0)  # one a second there
    # Other conversations wait only for the workspace's spacing, not for C1's second.
    assert pace.wait("chat.postMessage", "C2") == pytest.approx(0.01)
    assert pace.wait("chat.postMessage", "C3") == pytest.approx(0.01)
    assert pace.wait("chat.update", "C1") == 0  # chat.update has no per-channel limit


def test_methods_do_not_share_slots(time: FakeTime) -> None:
    pace = pacer(time)
    assert pace.wait("conversations.open") == 0
    assert pace.wait("conversations.history") == 0
    assert pace.wait("conversations.open") == pytest.approx(60 / 50)


def test_a_429_holds_the_method_back_and_slows_it_until_calls_get_through(
        time: FakeTime) -> None:
    pace = pacer(time, rate_post_per_minute=600, rate_channel_per_second=100)
    pace.wait("chat.postMessage", "D1")
    pace.hold("chat.postMessage", 3.0, "D1")
    assert pace.wait("chat.postMessage", "D2") == pytest.approx(3.0)
    # Slowed by half again: the next slot comes 0.15 s later rather than 0.1 s.
    assert pace.wait("chat.postMessage", "D3") == pytest.approx(0.15)
    for _ in range(100):
        pace.passed("chat.postMessage", "D3")
    time.now += 10
    assert pace.wait("chat.postMessage", "D4") == 0
    assert pace.wait("chat.postMessage", "D5") == pytest.approx(0.1)  # back to the rate


def test_slowing_down_stops_at_its_ceiling(time: FakeTime) -> None:
    pace = pacer(time, rate_post_per_minute=600, rate_channel_per_second=100)
    for _ in range(20):
        pace.hold("chat.postMessage", 1.0)
    time.now += 5
    pace.wait("chat.postMessage", "D1")
    assert pace.wait("chat.postMessage", "D2") == pytest.approx(MAX_SLOWDOWN / 10)
