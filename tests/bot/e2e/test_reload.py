"""Configuration changes take effect without a restart (SPEC 4.2): the running bot re-reads
its file when it changes or on SIGHUP; a file that fails the checks is refused and logged."""

from __future__ import annotations

import logging
import os
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.reload import ConfigReloader
from summaries.config.loader import load_config
from tests.support.botkit import Bot
from tests.support.commandkit import ask
from tests.support.flows import text_of
from tests.support.paths import DATA

SAMPLE = (DATA / "checkin.yaml").read_text(encoding="utf-8")
OLD_NAME, NEW_NAME = "Northfield Telecom, City Branch", "Northfield Telecom, River Branch"


@pytest.fixture
def watched(make_bot: Callable[..., Bot], tmp_path: Path) -> Iterator[tuple[Bot, Path,
                                                                            ConfigReloader]]:
    path = tmp_path / "checkin.yaml"
    path.write_text(SAMPLE, encoding="utf-8")
    bot = make_bot(load_config(path))
    reloader = ConfigReloader(bot.deps, path, interval=0.05)
    reloader.start()
    yield bot, path, reloader
    reloader.stop()
    signal.signal(signal.SIGHUP, signal.SIG_DFL)


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "it never happened"
        time.sleep(0.02)


def rewrite(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    stamp = time.time() + 1  # a new modification time even on a coarse clock
    os.utime(path, (stamp, stamp))


def test_a_changed_file_is_in_force_for_the_next_request(
        watched: tuple[Bot, Path, ConfigReloader]) -> None:
    bot, path, _ = watched
    assert OLD_NAME in text_of(ask(bot, "U0CEO", "/checkin", "help"))
    county = ("  - {key: south-county, name: South County Company, parent: marketing, "
              "manager: U0SOUTH, kpis: [revenue, arrears_recovery]}\n")
    rewrite(path, SAMPLE.replace(OLD_NAME, NEW_NAME).replace("  - key: safety\n",
                                                             county + "  - key: safety\n"))
    wait_until(lambda: bot.deps.config.organization.name == NEW_NAME)
    assert NEW_NAME in text_of(ask(bot, "U0CEO", "/checkin", "help"))
    assert "south-county" in bot.deps.config.department_by_key
    status = text_of(ask(bot, "U0SOUTH", "/checkin", "status"))  # its manager is known now
    assert "South County Company" in status


def test_a_bad_file_is_refused_and_the_old_one_stays(
        watched: tuple[Bot, Path, ConfigReloader], caplog: pytest.LogCaptureFixture) -> None:
    bot, path, reloader = watched
    caplog.set_level(logging.ERROR, logger="bot.reload")
    rewrite(path, SAMPLE.replace("timezone: Asia/Shanghai", "timezone: Mars/Olympus"))
    wait_until(lambda: any("refused" in r.getMessage() for r in caplog.records))
    [record] = [r for r in caplog.records if "refused" in r.getMessage()]
    assert "timezone" in record.getMessage()  # the file's problems, with their lines
    assert bot.deps.config.organization.timezone == "Asia/Shanghai"
    assert OLD_NAME in text_of(ask(bot, "U0CEO", "/checkin", "help"))
    assert not reloader.check()  # the same bad file is not read again and again


def test_sighup_rereads_the_file(watched: tuple[Bot, Path, ConfigReloader]) -> None:
    bot, path, reloader = watched
    reloader.stop()  # no watching: only the signal
    path.write_text(SAMPLE.replace(OLD_NAME, NEW_NAME), encoding="utf-8")
    os.kill(os.getpid(), signal.SIGHUP)
    wait_until(lambda: bot.deps.config.organization.name == NEW_NAME)
