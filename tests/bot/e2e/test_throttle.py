"""The per-person limit on slash commands, on a clock the test moves, and its settings."""

from __future__ import annotations

import pytest

from bot.cli.main import main
from bot.settings import Settings
from bot.throttle import Throttle, too_fast
from tests.support.botkit import DATA


class Clock:
    """Seconds that pass only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_then_one_more_every_refill() -> None:
    clock = Clock()
    throttle = Throttle(burst=3, every=2.0, clock=clock)
    assert [throttle.take("U1") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert throttle.take("U1") == pytest.approx(2.0)  # the fourth waits for a refill
    assert throttle.take("U1") == pytest.approx(2.0)  # a refused request costs nothing
    clock.now += 0.5
    assert throttle.take("U1") == pytest.approx(1.5)
    clock.now += 1.5
    assert throttle.take("U1") == 0.0  # one came back
    assert throttle.take("U1") == pytest.approx(2.0)
    clock.now += 60
    assert [throttle.take("U1") for _ in range(4)][:3] == [0.0, 0.0, 0.0]  # full again, no more


def test_each_person_has_their_own_bucket() -> None:
    clock = Clock()
    throttle = Throttle(burst=2, every=5.0, clock=clock)
    assert throttle.take("U1") == throttle.take("U1") == 0.0
    assert throttle.take("U1") > 0
    assert throttle.take("U2") == throttle.take("U2") == 0.0  # not slowed by U1


def test_people_whose_bucket_is_full_again_are_forgotten() -> None:
    clock = Clock()
    throttle = Throttle(burst=2, every=1.0, clock=clock)
    for n in range(5000):
        throttle.take(f"U{n}")
        clock.now += 0.01  # so most of them have refilled by the time the table is tidied
    assert len(throttle._full_at) < 1024  # of 5000; the last second's askers at most
    assert throttle.take("U4999") == 0.0  # someone remembered still has what they had left
    assert throttle.take("U4999") > 0


def test_the_answer_beyond_the_limit_says_how_long_to_wait() -> None:
    assert too_fast(2.2) == ("One moment: you're asking faster than I can answer. "
                             "Try again in 3 s.")
    assert "Try again in 1 s." in too_fast(0.01)


def test_limits_are_settings_with_defaults() -> None:
    defaults = Settings.from_env({})
    assert (defaults.user_burst, defaults.user_refill, defaults.chart_queue) == (5, 3.0, 8)
    chosen = Settings.from_env({"CHECKIN_USER_BURST": "2", "CHECKIN_USER_REFILL_SECONDS": "0.5",
                                "CHECKIN_CHART_QUEUE": "1"})
    assert (chosen.user_burst, chosen.user_refill, chosen.chart_queue) == (2, 0.5, 1)


@pytest.mark.parametrize(("name", "value", "message"), [
    ("CHECKIN_USER_BURST", "2.5", "CHECKIN_USER_BURST: must be a whole number, not 2.5"),
    ("CHECKIN_USER_BURST", "0", "CHECKIN_USER_BURST: must be more than 0, not 0"),
    ("CHECKIN_CHART_QUEUE", "inf", "CHECKIN_CHART_QUEUE: must be a whole number, not inf"),
    ("CHECKIN_USER_REFILL_SECONDS", "soon",
     "CHECKIN_USER_REFILL_SECONDS: not a number: 'soon'"),
])
def test_a_bad_limit_stops_with_one_line(monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str], name: str,
                                         value: str, message: str) -> None:
    monkeypatch.setenv(name, value)
    assert main(["config", "check", "--config", str(DATA / "checkin.yaml")]) == 2
    assert capsys.readouterr().err == f"checkin: {message}\n"
