"""The bot keeps the latest month for /kpi off the request threads, and lets it go on a change."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from bot.keptmonth import KeptLookups
from summaries.config.loader import load_config
from summaries.config.schema import Config
from summaries.lookup import kept as kept_module
from summaries.periods import Month
from summaries.store.db import make_engine, read_only, session_factory

OCTOBER = Month(2026, 10)


@pytest.fixture
def factory(demo_folder: Path, tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    shutil.copy(demo_folder / "demo.db", tmp_path / "demo.db")
    engine = make_engine(f"sqlite:///{tmp_path / 'demo.db'}")
    yield session_factory(engine)
    engine.dispose()


@pytest.fixture
def demo_config(demo_folder: Path) -> Config:
    return load_config(str(demo_folder / "checkin.yaml"))


def ask(lookups: KeptLookups, factory: sessionmaker[Session], config: Config,
        month: Month = OCTOBER) -> kept_module.KeptMonth | None:
    with read_only(factory) as session:
        return lookups.for_lookup(session, factory, config, month)


def test_the_first_lookup_reads_for_itself_and_the_ones_after_it_use_the_kept_month(
        factory: sessionmaker[Session], demo_config: Config) -> None:
    lookups = KeptLookups()
    assert ask(lookups, factory, demo_config) is None  # and a read has started
    lookups.wait(30)
    kept = ask(lookups, factory, demo_config)
    assert kept is not None and kept.month == OCTOBER
    assert ask(lookups, factory, demo_config) is kept
    assert ask(lookups, factory, demo_config, Month(2026, 9)) is None  # another latest month
    lookups.wait(30)


def test_a_change_lets_the_kept_month_go_and_a_fresh_read_takes_its_place(
        factory: sessionmaker[Session], demo_config: Config) -> None:
    lookups = KeptLookups()
    ask(lookups, factory, demo_config)
    lookups.wait(30)
    before = ask(lookups, factory, demo_config)
    assert before is not None
    with factory.begin() as session:
        session.execute(text("UPDATE figures SET value = value + 1 WHERE id = "
                             "(SELECT min(id) FROM figures)"))
    assert ask(lookups, factory, demo_config) is None
    lookups.wait(30)
    after = ask(lookups, factory, demo_config)
    assert after is not None and after.stamp > before.stamp


def test_switched_off_it_keeps_nothing(factory: sessionmaker[Session],
                                       demo_config: Config) -> None:
    lookups = KeptLookups(enabled=False)
    ask(lookups, factory, demo_config)
    lookups.wait(30)
    assert ask(lookups, factory, demo_config) is None


def test_a_read_that_fails_is_logged_and_lookups_go_on_reading_for_themselves(
        factory: sessionmaker[Session], demo_config: Config, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    def broken(*_args: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(kept_module.KeptMonth, "read", broken)
    lookups = KeptLookups()
    with caplog.at_level(logging.ERROR, logger="bot.keptmonth"):
        ask(lookups, factory, demo_config)
        lookups.wait(30)
    assert ask(lookups, factory, demo_config) is None
    lookups.wait(30)
    assert "could not keep 2026-10 for /kpi" in caplog.text
