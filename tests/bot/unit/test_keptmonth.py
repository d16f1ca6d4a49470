"""The bot keeps the latest month for /kpi off the request threads, and lets it go on a change."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from bot.keptmonth import KeptLookups
from summaries.config.schema import Config
from summaries.lookup import kept as kept_module
from summaries.periods import Month
from summaries.store.db import read_only

OCTOBER = Month(2026, 10)


def ask(lookups: KeptLookups, demo_sessions: sessionmaker[Session], config: Config,
        month: Month = OCTOBER) -> kept_module.KeptMonth | None:
    with read_only(demo_sessions) as session:
        return lookups.for_lookup(session, demo_sessions, config, month)


def test_the_first_lookup_reads_for_itself_and_the_ones_after_it_use_the_kept_month(
        demo_sessions: sessionmaker[Session], demo_config: Config) -> None:
    lookups = KeptLookups()
    assert ask(lookups, demo_sessions, demo_config) is None  # and a read has started
    lookups.wait(30)
    kept = ask(lookups, demo_sessions, demo_config)
    assert kept is not None
    assert kept.month == OCTOBER
    assert ask(lookups, demo_sessions, demo_config) is kept
    assert ask(lookups, demo_sessions, demo_config, Month(2026, 9)) is None  # another latest month
    lookups.wait(30)


def test_a_change_lets_the_kept_month_go_and_a_fresh_read_takes_its_place(
        demo_sessions: sessionmaker[Session], demo_config: Config) -> None:
    lookups = KeptLookups()
    ask(lookups, demo_sessions, demo_config)
    lookups.wait(30)
    before = ask(lookups, demo_sessions, demo_config)
    assert before is not None
    with demo_sessions.begin() as session:
        session.execute(text("UPDATE figures SET value = value + 1 WHERE id = "
                             "(SELECT min(id) FROM figures)"))
    assert ask(lookups, demo_sessions, demo_config) is None
    lookups.wait(30)
    after = ask(lookups, demo_sessions, demo_config)
    assert after is not None
    assert after.stamp > before.stamp


def test_switched_off_it_keeps_nothing(demo_sessions: sessionmaker[Session],
                                       demo_config: Config) -> None:
    lookups = KeptLookups(enabled=False)
    ask(lookups, demo_sessions, demo_config)
    lookups.wait(30)
    assert ask(lookups, demo_sessions, demo_config) is None


def test_a_read_that_fails_is_logged_and_lookups_go_on_reading_for_themselves(
        demo_sessions: sessionmaker[Session], demo_config: Config, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    def broken(*_args: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(kept_module.KeptMonth, "read", broken)
    lookups = KeptLookups()
    with caplog.at_level(logging.ERROR, logger="bot.keptmonth"):
        ask(lookups, demo_sessions, demo_config)
        lookups.wait(30)
    assert ask(lookups, demo_sessions, demo_config) is None
    lookups.wait(30)
    assert "could not keep 2026-10 for /kpi" in caplog.text


def test_a_lookup_naming_the_kept_month_is_answered_from_it_and_no_other(
        demo_sessions: sessionmaker[Session], demo_config: Config) -> None:
    lookups = KeptLookups()
    with read_only(demo_sessions) as session:
        assert lookups.holding(session, demo_config, OCTOBER) is None  # nothing kept yet
    ask(lookups, demo_sessions, demo_config)
    lookups.wait(30)
    with read_only(demo_sessions) as session:
        kept = lookups.holding(session, demo_config, OCTOBER)
        assert kept is not None
        assert lookups.holding(session, demo_config, Month(2026, 9)) is None
    with demo_sessions.begin() as session:
        session.execute(text("UPDATE figures SET value = value + 1 WHERE id = "
                             "(SELECT min(id) FROM figures)"))
    with read_only(demo_sessions) as session:
        assert lookups.holding(session, demo_config, OCTOBER) is None
