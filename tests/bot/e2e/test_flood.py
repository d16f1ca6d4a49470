"""A flood of unsigned and oversized requests against a real ``checkin serve``: the log grows by
a short line a request and the process's memory stays bounded."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.bot.unit.test_serve import free_port, wait_healthy
from tests.slackstandin import SlackStandIn
from tests.support.paths import DATA

REQUESTS = 2000
BODY = b"payload=" + b"A" * (64 * 1024)  # unsigned, 64 KiB: read, checked and refused
HUGE = 100 * 1024 * 1024  # declared, never sent whole: refused before it is read
LOG_BYTES_PER_REQUEST = 300
MEMORY_BOUND_KIB = 200 * 1024  # the Kubernetes limit is 512 MiB


def one_request(port: int, number: int) -> int:
    """Send one unsigned request (every other one declaring 100 MB); the status answered."""
    declared = HUGE if number % 2 else len(BODY)
    head = (f"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\n"
            f"X-Slack-Request-Timestamp: abc\r\nX-Slack-Signature: v0=00\r\n"
            f"Content-Length: {declared}\r\nConnection: close\r\n\r\n").encode()
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        with contextlib.suppress(OSError):  # the server may answer and close before the body
            sock.sendall(head + BODY)
        answer = b""
        with contextlib.suppress(ConnectionResetError):  # refused mid-body: the status line
            while chunk := sock.recv(4096):                # may already be in ``answer``
                answer += chunk
    return int(answer.split(b" ", 2)[1]) if answer else 0


def peak_kib(pid: int) -> int:
    """The process's peak resident memory (VmHWM), in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM")


def test_a_flood_of_unsigned_and_oversized_requests_stays_small(tmp_path: Path) -> None:
    port = free_port()
    log_path = tmp_path / "serve.log"
    with SlackStandIn(token="xoxb-test") as slack:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'checkin.db'}",
               "CHECKIN_CONFIG": str(DATA / "checkin.yaml"), "SLACK_API_URL": slack.api_url,
               "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "secret",
               "PORT": str(port), "LOG_LEVEL": "DEBUG"}
        subprocess.run([sys.executable, "-m", "bot", "db", "upgrade"], env=env, check=True,
                       capture_output=True)
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--no-scheduler"],
                env=env, stdout=log, stderr=subprocess.STDOUT)
            try:
                wait_healthy(f"http://127.0.0.1:{port}/healthz", process)
                before = log_path.stat().st_size
                with ThreadPoolExecutor(8) as pool:
                    statuses = list(pool.map(lambda n: one_request(port, n), range(REQUESTS)))
                grown = log_path.stat().st_size - before
                peak = peak_kib(process.pid)
                calls = len(slack.calls)
            finally:
                process.terminate()
                process.wait(timeout=10)
    assert set(statuses) <= {0, 401, 413}, set(statuses)
    assert statuses.count(401) >= REQUESTS // 4
    assert grown <= LOG_BYTES_PER_REQUEST * REQUESTS, grown
    assert b"AAAAAAAA" not in log_path.read_bytes()
    assert peak <= MEMORY_BOUND_KIB, f"peak resident memory {peak} KiB"
    assert calls == 0  # nothing unverified reached Slack
