"""The two apps ``bench/kpi.py`` compares, each started in a process of its own.

The bot runs as ``checkin serve --no-scheduler``; the baseline is a bare Bolt app that answers
``/kpi`` with a constant in its acknowledgement, on the same waitress set-up. In one process
they would share one interpreter lock with the Slack stand-in and the load, and SQLite's
driver gives that lock up on every row it reads.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from slack_bolt import Ack, App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

from bot.server import EVENTS_PATH, serve_forever

ROOT = Path(__file__).resolve().parents[1]
KPI_BENCH = Path(__file__).with_name("kpi.py")
SECRET = "bench-signing-secret"
TOKEN = "xoxb-test"
CONSTANT = "Revenue, Department 1, 2026-10: 123,456 EUR (103% of target)."


def bare_app(api_url: str) -> App:
    """The baseline: a Bolt app that acknowledges /kpi and answers a constant, ephemerally."""
    app = App(client=WebClient(token=TOKEN, base_url=api_url), signing_secret=SECRET,
              token_verification_enabled=False)

    @app.command("/kpi")
    def on_kpi(ack: Ack) -> None:
        ack(text=CONSTANT, response_type="ephemeral")  # answered in the acknowledgement

    return app


def run_bare_server(port: int, api_url: str) -> None:
    """The bare app's process: the baseline, on the same waitress set-up as ``checkin serve``."""
    serve_forever(SlackRequestHandler(bare_app(api_url), path=EVENTS_PATH), "127.0.0.1", port)


def start(stack: ExitStack, name: str, api_url: str, url: str, config_yaml: str) -> str:
    """Start ``name`` ("ours": the bot; else the bare app) in a process of its own, stopped
    when ``stack`` closes; the URL Slack's requests go to once it listens."""
    port = _free_port()
    if name == "ours":
        folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-kpi-"))
        config_path = Path(folder) / "bench-kpi.yaml"
        config_path.write_text(config_yaml, encoding="utf-8")
        command = [sys.executable, "-m", "bot", "--config", str(config_path), "serve",
                   "--no-scheduler", "--host", "127.0.0.1", "--port", str(port)]
    else:
        command = [sys.executable, str(KPI_BENCH), "--bare-server", str(port), api_url]
    env = {**os.environ, "DATABASE_URL": url, "SLACK_API_URL": api_url,
           "SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET, "LOG_LEVEL": "WARNING",
           # A handful of people asking a thousand times: far past the per-person limit,
           # which this bench does not measure (tests/bot/e2e/test_load.py checks it).
           "CHECKIN_USER_BURST": str(10**9)}
    process = subprocess.Popen(command, env=env, cwd=ROOT)
    stack.callback(stop, process)
    _wait_until_listening(port, process)
    return f"http://127.0.0.1:{port}{EVENTS_PATH}"


def spin(stack: ExitStack) -> None:
    """Another process keeping one core busy until ``stack`` closes."""
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    stack.callback(stop, spinner)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()


def _free_port() -> int:
    with socket.socket() as probe_socket:
        probe_socket.bind(("127.0.0.1", 0))
        return int(probe_socket.getsockname()[1])


def _wait_until_listening(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{process.args!r} exited with {process.returncode}")
        with socket.socket() as attempt:
            if attempt.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit(f"nothing listens on port {port} after 60 s")
