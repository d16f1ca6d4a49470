"""``checkin serve`` as an operator runs it: a real process, its health check, its refusals."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from bot.cli.main import main
from tests.slackstandin import SlackDriver, SlackStandIn, check_view
from tests.support.paths import DATA


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_refuses_to_start_without_what_it_needs(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("SLACK_SIGNING_SECRET", raising=False)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    assert main(["serve"]) == 2
    assert "SLACK_SIGNING_SECRET is not set" in capsys.readouterr().err
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "secret")
    monkeypatch.delenv("SLACK_APP_TOKEN", raising=False)
    assert main(["serve", "--socket-mode"]) == 2
    assert "--socket-mode needs SLACK_APP_TOKEN" in capsys.readouterr().err


def test_serve_answers_health_checks_and_slack_requests(tmp_path: Path) -> None:
    port = free_port()
    with SlackStandIn(token="xoxb-test") as slack:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'checkin.db'}",
               "CHECKIN_CONFIG": str(DATA / "checkin.yaml"), "SLACK_API_URL": slack.api_url,
               "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "secret",
               "PORT": str(port)}
        subprocess.run([sys.executable, "-m", "bot", "db", "upgrade"], env=env, check=True,
                       capture_output=True)
        # The scheduler would act on today's date; its own tests drive it with a set clock.
        process = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1",
                                    "--no-scheduler"], env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT)
        try:
            health = wait_healthy(f"http://127.0.0.1:{port}/healthz", process)
            assert health == {"status": "ok", "database": "ok"}
            driver = SlackDriver(f"http://127.0.0.1:{port}/slack/events", "secret", slack)
            assert driver.app_home_opened("U0EAST").status == 200
            slack.wait_for("views.publish", timeout=10)
            home = slack.home_view("U0EAST")
            assert home is not None
            assert check_view(home) == []
            assert driver.app_home_opened("U0EAST", event_id="Ev1", retry_num=None).status == 200
        finally:
            process.terminate()
            output = process.communicate(timeout=10)[0].decode()
        assert "secret" not in output.replace("SLACK_SIGNING_SECRET", "")
        assert "xoxb-test" not in output


def wait_healthy(url: str, process: subprocess.Popen[bytes]) -> dict[str, str]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(process.communicate()[0].decode())
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return dict(json.loads(response.read()))
        except OSError:
            time.sleep(0.2)
    raise AssertionError("the server did not become healthy in 30 s")
