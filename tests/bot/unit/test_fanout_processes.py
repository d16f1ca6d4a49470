"""``checkin cycle open`` as real processes: killed half-way, or two at once on PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.cli.main import main
from tests.slackstandin import SlackStandIn, dm_channel
from tests.support.botkit import FAST_SLACK, TOKEN
from tests.support.orgkit import manager, many_departments_text

COUNT = 40


@pytest.fixture
def slack() -> Iterator[SlackStandIn]:
    with SlackStandIn(token=TOKEN) as standin:
        yield standin


def environment(slack: SlackStandIn, database_url: str, config: Path) -> dict[str, str]:
    env = {f"CHECKIN_{name.upper()}": str(value) for name, value in FAST_SLACK.items()}
    env.update(DATABASE_URL=database_url, CHECKIN_CONFIG=str(config),
               SLACK_API_URL=slack.api_url, SLACK_BOT_TOKEN=TOKEN, LOG_LEVEL="WARNING")
    return env


@pytest.fixture
def setup(tmp_path: Path, slack: SlackStandIn,
          monkeypatch: pytest.MonkeyPatch) -> Callable[[str], dict[str, str]]:
    """Write the configuration, point this process at ``url`` and create the schema there."""
    config = tmp_path / "org.yaml"
    config.write_text(many_departments_text(COUNT))

    def prepare(url: str) -> dict[str, str]:
        env = environment(slack, url, config)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        assert main(["db", "upgrade"]) == 0
        return {**os.environ, **env}

    return prepare


def cycle_open(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "bot", "cycle", "open", "--period", "2026-10"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def wait_until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def prompts(slack: SlackStandIn) -> Counter[str]:
    return Counter(m["channel"] for m in slack.messages() if not m.get("thread_ts"))


def expected() -> Counter[str]:
    return Counter({dm_channel(manager(n)): 1 for n in range(COUNT)})


def test_a_fan_out_killed_half_way_resumes_and_sends_each_prompt_once(
        tmp_path: Path, slack: SlackStandIn, setup: Callable[[str], dict[str, str]]) -> None:
    env = setup(f"sqlite:///{tmp_path / 'checkin.db'}")
    slack.latency(0.02)
    process = cycle_open(env)
    try:
        wait_until(lambda: sum(prompts(slack).values()) >= COUNT // 2)
        # The next post reaches Slack, but its answer never comes back: the worst moment to die.
        slack.delay_next("chat.postMessage", 30, after_effect=True)
        posted = sum(prompts(slack).values())
        wait_until(lambda: sum(prompts(slack).values()) > posted)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert process.returncode == -signal.SIGKILL
    assert 0 < sum(prompts(slack).values()) < COUNT
    slack.latency(0)
    assert main(["cycle", "open", "--period", "2026-10"]) == 0
    assert prompts(slack) == expected()


def test_two_processes_opening_at_once_on_postgresql_send_one_prompt_each(
        postgres_url: str, slack: SlackStandIn, setup: Callable[[str], dict[str, str]]) -> None:
    env = setup(postgres_url)
    slack.latency(0.01)
    first, second = cycle_open(env), cycle_open(env)
    outputs = [p.communicate(timeout=120) for p in (first, second)]
    assert (first.returncode, second.returncode) == (0, 0), [e.decode()[-1500:] for _, e in outputs]
    assert prompts(slack) == expected()
    sent = [int(out.decode().split(": ")[1].split()[0]) for out, _ in outputs]
    assert sum(sent) == COUNT  # each prompt was sent by exactly one of them
