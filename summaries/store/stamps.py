"""The input stamp: a number the database raises whenever anything a digest reads changes.

Triggers raise it, so every writer counts (the bot, the import commands, a migration, an
``UPDATE`` typed by hand) without any of them having to remember to. Something worked out from
the stored data and kept (a rendered digest) is current while the stamp has not moved since it
was read; a reader that reads the stamp before the data it works from can only ever keep a
result under a stamp older than its data, which costs a needless recomputation, never a stale
answer.

On SQLite a trigger per table and statement kind raises it row by row (SQLite has one writer at
a time, so nothing waits on it). On PostgreSQL the triggers are deferred to the commit and raise
it once per transaction, so concurrent writers hold the stamp's row only while they commit.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Connection, Integer, Table, event, select
from sqlalchemy.orm import Session

from summaries.store.base import Base

# What the digest and the lookups read. The outbox counts for its reminders only (the digest
# names how many each manager was sent); its other rows change all the time.
STAMPED = ("departments", "kpis", "periods", "submissions", "section_answers", "figures",
           "revisions", "targets", "flags", "asks", "ask_events", "away_periods")
REMINDER = "reminder"
_ROW = 1

input_stamps = Table("input_stamps", Base.metadata,
                     Column("id", Integer, primary_key=True, autoincrement=False),
                     Column("n", BigInteger, nullable=False))

_RAISE = f"UPDATE input_stamps SET n = n + 1 WHERE id = {_ROW}"
_SEED = (f"INSERT INTO input_stamps (id, n) SELECT {_ROW}, 0 WHERE NOT EXISTS "
         f"(SELECT 1 FROM input_stamps WHERE id = {_ROW})")
_OUTBOX = {"insert": f"NEW.kind = '{REMINDER}'", "delete": f"OLD.kind = '{REMINDER}'",
           "update": f"NEW.kind = '{REMINDER}' OR OLD.kind = '{REMINDER}'"}
_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION checkin_raise_input_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('checkin.stamped', true) IS DISTINCT FROM txid_current()::text THEN
        {_RAISE};
        PERFORM set_config('checkin.stamped', txid_current()::text, true);
    END IF;
    RETURN NULL;
END $$"""


def _sqlite(table: str, kind: str, when: str | None = None) -> list[str]:
    name = f"stamp_{table}_{kind}"
    condition = f" WHEN {when}" if when else ""
    return [f"DROP TRIGGER IF EXISTS {name}",
            f"CREATE TRIGGER {name} AFTER {kind.upper()} ON {table}{condition} "
            f"BEGIN {_RAISE}; END"]


def _postgresql(table: str, kind: str, when: str | None = None) -> list[str]:
    name = f"stamp_{table}_{kind}"
    condition = f" WHEN ({when})" if when else ""
    events = kind.upper().replace("_", " OR ")
    return [f"DROP TRIGGER IF EXISTS {name} ON {table}",
            f"CREATE CONSTRAINT TRIGGER {name} AFTER {events} ON {table} DEFERRABLE INITIALLY "
            f"DEFERRED FOR EACH ROW{condition} EXECUTE FUNCTION checkin_raise_input_stamp()"]


def statements(dialect: str) -> list[str]:
    """The DDL that seeds the stamp and makes every stamped table raise it, for ``dialect``."""
    found = [_SEED]
    if dialect == "postgresql":
        found.append(_PG_FUNCTION)
        for table in STAMPED:
            found += _postgresql(table, "insert_update_delete")
        for kind, when in _OUTBOX.items():
            found += _postgresql("outbox", kind, when)
        return found
    for table in STAMPED:
        for kind in ("insert", "update", "delete"):
            found += _sqlite(table, kind)
    for kind, when in _OUTBOX.items():
        found += _sqlite("outbox", kind, when)
    return found


def install(connection: Connection) -> None:
    """Seed the stamp and (re)create its triggers; safe to run again."""
    for statement in statements(connection.dialect.name):
        connection.exec_driver_sql(statement)


def uninstall(connection: Connection) -> None:
    """Drop the triggers (and PostgreSQL's function); the tables stay."""
    postgresql = connection.dialect.name == "postgresql"
    kinds = ("insert_update_delete",) if postgresql else ("insert", "update", "delete")
    names = [(t, f"stamp_{t}_{k}") for t in STAMPED for k in kinds]
    names += [("outbox", f"stamp_outbox_{kind}") for kind in _OUTBOX]
    for table, name in names:
        connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}"
                                   + (f" ON {table}" if postgresql else ""))
    if postgresql:
        connection.exec_driver_sql("DROP FUNCTION IF EXISTS checkin_raise_input_stamp()")


@event.listens_for(Base.metadata, "after_create")
def _after_create(_metadata: object, connection: Connection, **_kw: object) -> None:
    """A schema made from the models (tests, benches) gets the triggers a migration makes."""
    if all(connection.dialect.has_table(connection, name)
           for name in (*STAMPED, "outbox", "input_stamps")):
        install(connection)


def input_stamp(session: Session) -> int | None:
    """The stamp now, or None where the database has none (nothing is then kept)."""
    found = session.connection().execute(
        select(input_stamps.c.n).where(input_stamps.c.id == _ROW)).scalar()
    return None if found is None else int(found)

