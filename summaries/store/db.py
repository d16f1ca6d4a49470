"""Engine, sessions and the units of work that own the transaction: one that commits, one
that only reads, and one that tries writes and keeps none (a dry run)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_DATABASE_URL = "sqlite:///checkin.db"
SQLITE_MMAP_BYTES = 256 * 1024 * 1024
SQLITE_CACHE_KIB = 32 * 1024
PG_CONNECT_TIMEOUT = 10  # seconds
SQLITE_ANALYSIS_ROWS = 1000  # rows sampled per index by ANALYZE


# The databases the bot runs on, by the schemes people write them with.
SCHEMES = {"sqlite": "sqlite", "sqlite+pysqlite": "sqlite", "postgresql": "postgresql+psycopg",
           "postgres": "postgresql+psycopg", "postgresql+psycopg": "postgresql+psycopg"}
URL_HINT = "use sqlite:///FILE or postgresql://USER:PASSWORD@HOST:5432/DATABASE"


def database_url(url: str) -> str:
    """``url`` with its scheme made the driver's (``postgres://`` is PostgreSQL through psycopg);
    ValueError naming the scheme, never the rest (it may hold a password), otherwise."""
    scheme, separator, rest = url.strip().partition("://")
    if not separator or not scheme:
        raise ValueError(f"not a database URL; {URL_HINT}")
    driver = SCHEMES.get(scheme.lower())
    if driver is None:
        raise ValueError(f"unsupported database {scheme.split('+')[0]!r}; {URL_HINT}")
    if driver == "sqlite" and rest and not rest.startswith("/"):
        raise ValueError(f"a SQLite URL has three slashes: sqlite:///FILE; {URL_HINT}")
    return f"{driver}://{rest}"


def make_engine(url: str = DEFAULT_DATABASE_URL, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys and a busy timeout."""
    url = database_url(url)
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"check_same_thread": False, "timeout": 30})
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    kwargs.setdefault("hide_parameters", True)  # an error message never carries a payload
    kwargs.setdefault("pool_pre_ping", True)
    # A server that hangs rather than refusing must not hold a request, /healthz or /metrics
    # for as long as the operating system's TCP timeout.
    kwargs.setdefault("connect_args", {"connect_timeout": PG_CONNECT_TIMEOUT})
    return create_engine(url, **kwargs)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    if cursor.execute("PRAGMA database_list").fetchone()[2]:  # a file, not :memory:
        cursor.execute("PRAGMA journal_mode=WAL")
        # Read the file through a memory map and keep more of it per connection: a lookup
        # reads a KPI's figures from many places in the file, and every page read through
        # the default path is a system call.
        cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
        cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    cursor.close()


def gather_statistics(session: Session, tables: Sequence[str]) -> None:
    """Refresh the query planner's statistics of ``tables`` after a bulk write.

    A database loaded by imports otherwise has none until something analyses it (on SQLite
    nothing ever does; PostgreSQL's autovacuum comes when it comes), and a planner without
    statistics guesses. Sampled on SQLite (``analysis_limit``), so an import of a few rows
    into a large table stays quick. Runs in the session's transaction: committed with it.
    """
    connection = session.connection()
    names = [t for t in tables if t.isidentifier()]  # table names of ours, never user input
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_ROWS}")
        for name in names:
            connection.exec_driver_sql(f"ANALYZE {name}")
    elif names:
        connection.exec_driver_sql(f"ANALYZE {', '.join(names)}")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit."""
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def unit_of_work(factory: sessionmaker[Session]) -> Iterator[Session]:
    """Open a session, commit if the block succeeds, roll back if it raises.

    On SQLite the transaction takes the write lock at once (``BEGIN IMMEDIATE``): two units of
    work that read, then write, would otherwise meet SQLite's stale-snapshot error ("database
    is locked") at once instead of waiting their turn.
    """
    session = factory()
    try:
        _begin_writing(session)
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def _begin_writing(session: Session) -> None:
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    raw = connection.connection.dbapi_connection
    if raw is not None and not raw.in_transaction:  # a shared test connection may be in one
        connection.exec_driver_sql("BEGIN IMMEDIATE")


class WriteRefused(RuntimeError):
    """Something tried to write in a read-only unit of work."""


def _refuse_writes(session: Session, _context: Any, _instances: Any) -> None:
    changed = [type(o).__name__ for o in (*session.new, *session.dirty, *session.deleted)]
    raise WriteRefused(f"a read-only unit of work tried to write: {', '.join(changed)}")


@contextmanager
def read_only(factory: sessionmaker[Session]) -> Iterator[Session]:
    """Open a session that only reads: a flush with anything to write raises
    :class:`WriteRefused`, and the transaction ends without a commit."""
    session = factory()
    event.listen(session, "before_flush", _refuse_writes)
    try:
        yield session
    finally:
        session.rollback()
        session.close()


@contextmanager
def quick_read(factory: sessionmaker[Session]) -> Iterator[Session]:
    """:func:`read_only` for a few statements answered at once (a ``/kpi`` lookup). On
    PostgreSQL its statements run outside a transaction, as under the default READ COMMITTED
    each sees the data as of its own start anyway; that spares the BEGIN and ROLLBACK round
    trips, a quarter of a lookup's time. Only for code that reads: nothing would roll a write
    back."""
    with read_only(factory) as session:
        bind = session.get_bind()
        if isinstance(bind, Engine) and bind.dialect.name == "postgresql":
            session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        yield session


@contextmanager
def dry_run(factory: sessionmaker[Session]) -> Iterator[Session]:
    """Open a session whose writes are flushed (so checks run and counts are right) and then
    thrown away: the transaction always ends in a rollback."""
    session = factory()
    try:
        yield session
    finally:
        session.rollback()
        session.close()
