from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from summaries.store.db import (
    WriteRefused,
    dry_run,
    make_engine,
    quick_read,
    read_only,
    session_factory,
    unit_of_work,
)
from summaries.store.figures import AmountReader
from summaries.store.models import Period
from summaries.store.tables import Base
from summaries.store.types import Amount, stored_text


@pytest.fixture
def factory(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    """Sessions on a fresh SQLite file with the schema."""
    engine = make_engine(f"sqlite:///{tmp_path / 'checkin.db'}")
    Base.metadata.create_all(engine)
    yield session_factory(engine)
    engine.dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'checkin.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_unit_of_work_commits_on_success_and_rolls_back_on_error(
        factory: sessionmaker[Session]) -> None:
    with unit_of_work(factory) as session:
        session.add(Period(key="2026-10"))

    def fail_half_way() -> None:
        with unit_of_work(factory) as session:
            session.add(Period(key="2026-11"))
            session.flush()
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        fail_half_way()
    with factory() as session:
        assert session.scalars(select(Period.key)).all() == ["2026-10"]
        assert session.scalar(select(func.count()).select_from(Period)) == 1


def test_a_foreign_key_violation_is_refused(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'fk.db'}")
    Base.metadata.create_all(engine)
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO submissions (period_id, department_id, status, created_at) "
            "VALUES (99, 99, 'draft', '2026-10-31 00:00:00')")
    engine.dispose()


def test_a_read_only_unit_of_work_refuses_a_write_and_keeps_nothing(
        factory: sessionmaker[Session]) -> None:
    with unit_of_work(factory) as session:
        session.add(Period(key="2026-09"))
    with read_only(factory) as session:  # reading is what it is for
        assert session.scalars(select(Period.key)).all() == ["2026-09"]
    with read_only(factory) as session:
        session.add(Period(key="2026-10"))
        with pytest.raises(WriteRefused, match="Period"):
            session.flush()
    with read_only(factory) as session:
        session.scalars(select(Period)).one().key = "2026-11"  # never flushed, never kept
    with factory() as session:
        assert session.scalars(select(Period.key)).all() == ["2026-09"]


@pytest.fixture(params=["sqlite", "postgresql"])
def either(request: pytest.FixtureRequest, factory: sessionmaker[Session]
           ) -> Iterator[sessionmaker[Session]]:
    """Sessions on a fresh SQLite file, or on a fresh PostgreSQL database, with the schema."""
    if request.param == "sqlite":
        yield factory
        return
    engine = make_engine(request.getfixturevalue("postgres_url"))
    Base.metadata.create_all(engine)
    yield session_factory(engine)
    engine.dispose()


def test_a_quick_read_sends_no_transaction_to_postgresql_and_refuses_writes(
        either: sessionmaker[Session]) -> None:
    with unit_of_work(either) as session:
        session.add(Period(key="2026-09"))
    postgresql = either.kw["bind"].dialect.name == "postgresql"
    with quick_read(either) as session:
        assert session.scalars(select(Period.key)).all() == ["2026-09"]
        raw = session.connection().connection.dbapi_connection
        # PostgreSQL: in autocommit, so no BEGIN went out and none is open after a read.
        assert raw is not None
        assert getattr(raw, "autocommit", None) is (True if postgresql else None)
        session.add(Period(key="2026-10"))
        with pytest.raises(WriteRefused, match="Period"):
            session.flush()
    with unit_of_work(either) as session:  # the pooled connection is transactional again
        raw = session.connection().connection.dbapi_connection
        assert not getattr(raw, "autocommit", False)
        session.add(Period(key="2026-11"))
    with pytest.raises(RuntimeError):
        write_then_fail(either, "2026-12")
    with either() as session:
        assert session.scalars(select(Period.key).order_by(Period.key)).all() == [
            "2026-09", "2026-11"]


def write_then_fail(factory: sessionmaker[Session], key: str) -> None:
    with unit_of_work(factory) as session:
        session.add(Period(key=key))
        session.flush()
        raise RuntimeError("rolled back")


def test_a_dry_run_flushes_its_writes_and_keeps_none(factory: sessionmaker[Session]) -> None:
    with dry_run(factory) as session:
        session.add(Period(key="2026-10"))
        session.flush()  # checks and counts see it
        assert session.scalar(select(func.count()).select_from(Period)) == 1
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(Period)) == 0


AMOUNTS = ["1.5", "0", "-5.25", "100", "1000000", "0.00000001", "-0.1", "12345678901234567890",
           "99999999999999999999.99999999", "2.50", "1E+3", "7.10000000"]


def test_an_amount_read_as_stored_text_is_the_amount_its_column_reads(
        either: sessionmaker[Session]) -> None:
    """The figures' and targets' fast read (``stored_text`` and ``AmountReader``) gives the
    Decimal the column's own type gives, exponent and all, on both databases: PostgreSQL's
    padded NUMERIC trimmed, SQLite's text as it is."""
    table = sa.Table("amounts", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("value", Amount()))
    bind = either.kw["bind"]
    table.create(bind)
    with unit_of_work(either) as session:
        session.execute(table.insert(), [{"id": n, "value": Decimal(text)}
                                         for n, text in enumerate(AMOUNTS)])
    with either() as session:
        typed = session.execute(select(table.c.value).order_by(table.c.id)).scalars().all()
        raw = [row[0] for row in session.execute(
            select(stored_text(table.c.value)).order_by(table.c.id))]
    reader = AmountReader()
    assert [str(reader(value)) for value in raw] == [str(value) for value in typed]
    assert [str(reader.exact(value)) for value in raw] == [str(value) for value in typed]
    assert [str(value) for value in typed][:4] == ["1.5", "0", "-5.25", "100"]
    assert all(isinstance(value, str) for value in raw)  # no Decimal built by the driver
