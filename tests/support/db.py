"""Throwaway databases for tests: a SQLite file, or a fresh PostgreSQL database per use."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from summaries.store.db import make_engine

PG_ENV = "TEST_DATABASE_URL"
BACKEND_ENV = "TEST_BACKEND"  # sqlite or postgresql; default: postgresql when PG_ENV is set


def postgres_base_url() -> str | None:
    """The PostgreSQL server tests may use, from TEST_DATABASE_URL, or None."""
    url = os.environ.get(PG_ENV, "").strip()
    return url or None


def suite_uses_postgres() -> bool:
    """Whether the general suite runs on PostgreSQL (else SQLite)."""
    backend = os.environ.get(BACKEND_ENV, "").strip().lower()
    if backend:
        return backend.startswith("postgres")
    return postgres_base_url() is not None


@contextmanager
def fresh_database(tmp_dir: Path) -> Iterator[str]:
    """Yield the URL of an empty database of the suite's backend, dropped afterwards."""
    base = postgres_base_url() if suite_uses_postgres() else None
    if base is None:
        yield f"sqlite:///{tmp_dir / f'test-{uuid.uuid4().hex[:8]}.db'}"
        return
    with fresh_postgres_database(base) as url:
        yield url


@contextmanager
def fresh_postgres_database(base: str) -> Iterator[str]:
    """Create a uniquely named database on the server of ``base``; drop it at the end."""
    name = f"checkin_test_{uuid.uuid4().hex[:12]}"
    admin = make_engine(base, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin.url).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def triggers_on(connection: sa.Connection, table: str, prefix: str) -> list[str]:
    """The names of the triggers on ``table`` whose name starts with ``prefix``."""
    if connection.dialect.name == "postgresql":
        query = ("SELECT tgname FROM pg_trigger WHERE tgrelid = CAST(:t AS regclass) "
                 "AND tgname LIKE :p")
    else:
        query = ("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t "
                 "AND name LIKE :p")
    return list(connection.execute(sa.text(query), {"t": table, "p": f"{prefix}%"}).scalars())
