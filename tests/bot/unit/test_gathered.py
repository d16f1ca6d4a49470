"""Work done one key at a time, what is asked meanwhile gathered (bot.gathered), and the
digest updates that go through it (bot.cycle.refreshing.update_digest)."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace
from typing import Any

import pytest

import bot.cycle.refreshing as refreshing
from bot.gathered import Gathered

WAIT = 10.0


class Blocking:
    """Work that records what it was given and holds its first run until let go."""

    def __init__(self) -> None:
        self.runs: list[list[Any]] = []
        self.started = threading.Event()
        self.release = threading.Event()

    def __call__(self, items: list[Any]) -> None:
        self.runs.append(items)
        self.started.set()
        assert self.release.wait(WAIT)


@pytest.fixture
def pool() -> Any:
    with ThreadPoolExecutor(4) as executor:
        yield executor


def test_what_is_asked_while_a_run_works_is_done_together_by_the_next(pool: Any) -> None:
    gathered, work = Gathered(), Blocking()
    gathered.request(pool, "2026-10", "east", work)
    assert work.started.wait(WAIT)
    for item in ("west", "key-accounts", "west"):  # asked twice: done once
        gathered.request(pool, "2026-10", item, work)
    work.release.set()
    assert gathered.wait(WAIT)
    assert work.runs == [["east"], ["west", "key-accounts"]]


def test_keys_run_side_by_side_and_each_one_at_a_time(pool: Any) -> None:
    gathered = Gathered()
    october, november = Blocking(), Blocking()
    gathered.request(pool, "2026-10", "east", october)
    gathered.request(pool, "2026-11", "east", november)
    assert october.started.wait(WAIT)  # both at once
    assert november.started.wait(WAIT)
    assert not gathered.wait(0.05)
    october.release.set()
    november.release.set()
    assert gathered.wait(WAIT)
    assert (october.runs, november.runs) == ([["east"]], [["east"]])


def test_a_failed_run_is_logged_and_the_next_request_runs_again(
        pool: Any, caplog: pytest.LogCaptureFixture) -> None:
    gathered = Gathered()
    done: list[list[Any]] = []

    def failing(items: list[Any]) -> None:
        raise RuntimeError("the database went away")

    with caplog.at_level(logging.ERROR):
        gathered.request(pool, "2026-10", "east", failing)
        assert gathered.wait(WAIT)
    assert "gathered work for 2026-10 failed" in caplog.text
    gathered.request(pool, "2026-10", "west", done.append)
    assert gathered.wait(WAIT)
    assert done == [["west"]]


def test_a_request_after_the_pool_stopped_is_dropped_with_a_warning(
        caplog: pytest.LogCaptureFixture) -> None:
    gathered = Gathered()
    stopped = ThreadPoolExecutor(1)
    stopped.shutdown()
    with caplog.at_level(logging.WARNING):
        gathered.request(stopped, "2026-10", "east", lambda items: None)
    assert gathered.wait(0)
    assert "the process is stopping" in caplog.text


def test_digest_updates_run_one_at_a_time_gathered_into_one_refresh_per_month_and_change(
        pool: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="bot.cycle.refreshing")
    deps = SimpleNamespace(updates=Gathered(), executor=pool)
    refreshed: list[tuple[str, tuple[str, ...], str | None]] = []
    first = threading.Event()
    release = threading.Event()

    def refresh(_deps: Any, period: str, *departments: str, version: str | None = None) -> None:
        refreshed.append((period, departments, version))
        first.set()
        assert release.wait(WAIT)

    monkeypatch.setattr(refreshing, "refresh_digest", refresh)
    refreshing.update_digest(deps, "2026-10", "east-county")  # type: ignore[arg-type]
    assert first.wait(WAIT)
    for department, version in (("west-county", None), ("marketing", "ask7"),
                                ("safety", None), ("west-county", None)):
        refreshing.update_digest(deps, "2026-10", department, version)  # type: ignore[arg-type]
    refreshing.update_digest(deps, "2026-09", "safety", "ask7")  # type: ignore[arg-type]
    release.set()
    assert deps.updates.wait(WAIT)
    assert refreshed == [("2026-10", ("east-county",), None),  # then the rest, together:
                         ("2026-10", ("west-county", "safety"), None),
                         ("2026-10", ("marketing",), "ask7"),
                         ("2026-09", ("safety",), "ask7")]
    assert "updated the 2026-10 digest for west-county, safety in " in caplog.text  # timed
