"""Shared fixtures: a database per test run (SQLite, or PostgreSQL via TEST_DATABASE_URL)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

from summaries.config.loader import load_config
from summaries.config.schema import Config
from summaries.store.catalog import Catalog, sync_config
from summaries.store.db import make_engine, session_factory
from summaries.store.tables import Base
from tests.slackstandin import SlackStandIn
from tests.support.botkit import TOKEN
from tests.support.db import (
    fresh_database,
    fresh_postgres_database,
    postgres_base_url,
    suite_uses_postgres,
)
from tests.support.paths import DATA

IN_CI = os.environ.get("CI", "").lower() == "true"


def pytest_report_header() -> str:
    return f"database: {'PostgreSQL' if suite_uses_postgres() else 'SQLite'}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One database for the whole run, created empty and dropped at the end."""
    with fresh_database(tmp_path_factory.mktemp("db")) as url:
        yield url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[sa.Engine]:
    engine = make_engine(database_url)
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session_maker(engine: sa.Engine) -> Iterator[sessionmaker[Session]]:
    """Sessions on the run's database; every table is emptied after the test."""
    yield session_factory(engine)
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture
def db(session_maker: sessionmaker[Session]) -> Iterator[Session]:
    """A session whose work the test commits or not; tables are emptied afterwards."""
    session = session_maker()
    yield session
    session.rollback()
    session.close()


@pytest.fixture
def postgres_url(tmp_path: Path) -> Iterator[str]:
    """A fresh PostgreSQL database; skips without TEST_DATABASE_URL (fails under CI=true)."""
    base = postgres_base_url()
    if base is None:
        if IN_CI:
            pytest.fail("TEST_DATABASE_URL is not set, and CI=true needs PostgreSQL tests to run")
        pytest.skip("needs PostgreSQL: set TEST_DATABASE_URL")
    with fresh_postgres_database(base) as url:
        yield url


@pytest.fixture(scope="session")
def config() -> Config:
    """The sample organization of SPEC section 3."""
    return load_config(DATA / "checkin.yaml")


@pytest.fixture
def catalog(db: Session, config: Config) -> Catalog:
    """The sample configuration synced into the database (committed)."""
    result = sync_config(db, config)
    db.commit()
    return result


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn(token=TOKEN) as slack:
        yield slack


@pytest.fixture
def client(standin: SlackStandIn) -> WebClient:
    """A Web API client on the stand-in, as the bot builds one."""
    return WebClient(token=TOKEN, base_url=standin.api_url)


@pytest.fixture(scope="session")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's folder: its configuration and its database, made once."""
    from bot.cli.main import main

    folder = tmp_path_factory.mktemp("demo") / "demo"
    assert main(["demo", "--output", str(folder)]) == 0
    return folder


@pytest.fixture
def demo_sessions(demo_folder: Path, tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    """Sessions on a copy of the demo's database, which the test may change."""
    import shutil

    shutil.copy(demo_folder / "demo.db", tmp_path / "demo.db")
    engine = make_engine(f"sqlite:///{tmp_path / 'demo.db'}")
    yield session_factory(engine)
    engine.dispose()


@pytest.fixture
def demo_config(demo_folder: Path) -> Config:
    """The demo's configuration (the example organization)."""
    return load_config(str(demo_folder / "checkin.yaml"))
