"""``checkin cycle open|remind`` by hand: posts finished before exit, exit 1 while any is owed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli.main import main
from tests.slackstandin import SlackStandIn, check_message, dm_channel
from tests.support.botkit import FAST_SLACK
from tests.support.paths import DATA


@pytest.fixture
def slack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SlackStandIn]:
    with SlackStandIn(token="xoxb-test") as standin:
        monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'checkin.db'}")
        monkeypatch.setenv("CHECKIN_CONFIG", str(DATA / "checkin.yaml"))
        monkeypatch.setenv("SLACK_API_URL", standin.api_url)
        monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
        for name, value in FAST_SLACK.items():
            monkeypatch.setenv(f"CHECKIN_{name.upper()}", str(value))
        assert main(["db", "upgrade"]) == 0
        yield standin


def prompts(slack: SlackStandIn) -> list[dict[str, object]]:
    return [m for m in slack.messages() if not m.get("thread_ts")]


def test_open_sends_one_prompt_per_department_once(
        slack: SlackStandIn, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cycle", "open", "--period", "2026-10"]) == 0
    assert "open 2026-10: 5 messages sent" in capsys.readouterr().out
    sent = prompts(slack)
    assert len(sent) == 5
    assert all(check_message(m) == [] for m in sent)
    assert main(["cycle", "open", "--period", "2026-10"]) == 0
    assert "0 messages sent" in capsys.readouterr().out
    assert len(prompts(slack)) == 5


def test_remind_threads_under_each_prompt_and_counts_rounds(
        slack: SlackStandIn, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cycle", "open", "--period", "2026-10"]) == 0
    assert main(["cycle", "remind"]) == 0
    assert main(["cycle", "remind"]) == 0
    east = slack.messages(dm_channel("U0EAST"))
    prompt = next(m for m in east if not m.get("thread_ts"))
    replies = [m for m in east if m.get("thread_ts")]
    assert [m["thread_ts"] for m in replies] == [prompt["ts"], prompt["ts"]]
    assert main(["cycle", "remind", "--round", "2"]) == 0  # finishing round 2 sends nothing new
    assert len([m for m in slack.messages() if m.get("thread_ts")]) == 10


def test_undelivered_posts_exit_1_and_a_rerun_sends_the_rest(
        slack: SlackStandIn, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHECKIN_DELIVERY_WORKERS", "1")  # so the failures hit one prompt
    slack.fail_next("chat.postMessage", status=500, times=4)  # every attempt of one prompt
    assert main(["cycle", "open", "--period", "2026-10"]) == 1
    out = capsys.readouterr().out
    assert "1 message(s) not delivered" in out
    assert "run the command again" in out
    assert len(prompts(slack)) == 4
    assert main(["cycle", "open", "--period", "2026-10"]) == 0
    assert len(prompts(slack)) == 5


def test_remind_without_an_open_period_says_what_to_do(
        slack: SlackStandIn, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cycle", "remind"]) == 2
    assert "no period is open; give --period YYYY-MM" in capsys.readouterr().err


def test_close_posts_the_digest_once_and_defaults_to_the_open_period(
        slack: SlackStandIn, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cycle", "open", "--period", "2026-10"]) == 0
    assert main(["cycle", "close"]) == 0
    out = capsys.readouterr().out
    assert "close 2026-10:" in out
    [header] = [m for m in slack.messages("C0LEADERS") if not m.get("thread_ts")]
    assert header["metadata"]["event_payload"] == {"period": "2026-10"}
    posted = len(slack.messages("C0LEADERS"))
    assert main(["cycle", "close", "--period", "2026-10"]) == 0
    assert "0 messages sent" in capsys.readouterr().out
    assert len(slack.messages("C0LEADERS")) == posted
