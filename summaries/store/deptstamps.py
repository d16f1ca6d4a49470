"""Department stamps: a number per department the database raises when that department's
inputs change, so that a month's evaluation kept per department is redone only where it must be.

The input stamp (:mod:`summaries.store.stamps`) says *that* something changed; these say *for
whom*. Triggers raise the stamp of the department a changed figure, target, submission or
section answer belongs to. Row 0 is everyone's: it rises with a target set for every
department and with any change to the departments, KPIs and months themselves (their keys and
states). Every writer counts, an ``UPDATE`` typed by hand as much as the bot.

A reader compares the stamps it reads now with those a kept result was made under; one that
reads the stamps before the data it evaluates can only ever keep a result under a stamp older
than its data (a needless evaluation later, never a stale one). On SQLite a trigger per row
raises them (one writer at a time). On PostgreSQL a trigger per statement raises each
department's stamp once, from the statement's transition tables, in department order (so two
writers take the rows' locks in the same order).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Connection, Integer, Table, event, select
from sqlalchemy.orm import Session

from summaries.store.base import Base

EVERYONE = 0

department_stamps = Table("department_stamps", Base.metadata,
                          Column("department_id", Integer, primary_key=True,
                                 autoincrement=False),
                          Column("n", BigInteger, nullable=False))

# Per table, the department a row belongs to (``{row}``: the row's alias).
_OWNER = {
    "figures": "{row}.department_id",
    "submissions": "{row}.department_id",
    "targets": f"COALESCE({{row}}.department_id, {EVERYONE})",
    "section_answers": "(SELECT s.department_id FROM submissions s "
                       "WHERE s.id = {row}.submission_id)",
    "departments": str(EVERYONE),
    "kpis": str(EVERYONE),
    "periods": str(EVERYONE),
}
TRACKED = tuple(_OWNER)
_EVENTS = {"insert": ("NEW",), "update": ("OLD", "NEW"), "delete": ("OLD",)}
_UPSERT = ("INSERT INTO department_stamps (department_id, n) {rows} "
           "ON CONFLICT (department_id) DO UPDATE SET n = department_stamps.n + 1")


def _sqlite(table: str, kind: str) -> list[str]:
    name = f"dept_stamp_{table}_{kind}"
    raises = "; ".join(
        _UPSERT.format(rows=f"SELECT d, 1 FROM (SELECT {_OWNER[table].format(row=row)} AS d) "
                            "WHERE d IS NOT NULL")
        for row in _EVENTS[kind])
    return [f"DROP TRIGGER IF EXISTS {name}",
            f"CREATE TRIGGER {name} AFTER {kind.upper()} ON {table} BEGIN {raises}; END"]


def _postgresql(table: str, kind: str) -> list[str]:
    name = f"dept_stamp_{table}_{kind}"
    aliases = {"NEW": "new_rows", "OLD": "old_rows"}
    rows = " UNION ".join(f"SELECT {_OWNER[table].format(row='r')} AS d FROM {aliases[a]} r"
                          for a in _EVENTS[kind])
    upsert = _UPSERT.format(rows=f"SELECT DISTINCT d, 1 FROM ({rows}) AS changed "
                                 "WHERE d IS NOT NULL ORDER BY d")
    referencing = " ".join(f"{a} TABLE AS {aliases[a]}" for a in _EVENTS[kind])
    return [f"""
CREATE OR REPLACE FUNCTION checkin_{name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {upsert};
    RETURN NULL;
END $$""",
            f"DROP TRIGGER IF EXISTS {name} ON {table}",
            f"CREATE TRIGGER {name} AFTER {kind.upper()} ON {table} REFERENCING {referencing} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION checkin_{name}()"]


def statements(dialect: str) -> list[str]:
    """The DDL that makes every tracked table raise its departments' stamps, for ``dialect``."""
    make = _postgresql if dialect == "postgresql" else _sqlite
    return [sql for table in TRACKED for kind in _EVENTS for sql in make(table, kind)]


def install(connection: Connection) -> None:
    """(Re)create the triggers; safe to run again."""
    for statement in statements(connection.dialect.name):
        connection.exec_driver_sql(statement)


def uninstall(connection: Connection) -> None:
    """Drop the triggers (and PostgreSQL's functions); the table stays."""
    postgresql = connection.dialect.name == "postgresql"
    for table in TRACKED:
        for kind in _EVENTS:
            name = f"dept_stamp_{table}_{kind}"
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}"
                                       + (f" ON {table}" if postgresql else ""))
            if postgresql:
                connection.exec_driver_sql(f"DROP FUNCTION IF EXISTS checkin_{name}()")


@event.listens_for(Base.metadata, "after_create")
def _after_create(_metadata: object, connection: Connection, **_kw: object) -> None:
    """A schema made from the models (tests, benches) gets the triggers a migration makes."""
    if all(connection.dialect.has_table(connection, name)
           for name in (*TRACKED, "department_stamps")):
        install(connection)


def read_department_stamps(session: Session) -> dict[int, int]:
    """Every department's stamp by its id (:data:`EVERYONE`'s under 0); a department never
    changed since the table was made has none (read as 0)."""
    return dict(session.connection().execute(
        select(department_stamps.c.department_id, department_stamps.c.n)).tuples().all())
