"""``column IN (subquery)`` that PostgreSQL answers with index probes.

PostgreSQL plans ``figures.kpi_id IN (SELECT id FROM kpis WHERE ...)`` as a join: on the
(KPI, month, department) index it then reads every figure of the KPI (ten thousand rows for a
/kpi answer needing a hundred) and filters them. Written ``= ANY(ARRAY(SELECT ...))``, the ids
are computed once and become index conditions, so each wanted row is sought directly (11 ms to
0.7 ms on 400,000 figures). SQLite has no arrays and seeks the index with ``IN`` already.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ARRAY, Connection, Select, String, any_, bindparam
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal
from sqlalchemy.types import NullType


class AmongIds(ColumnElement[Any]):
    """``column`` is one of the ids ``ids`` (a one-column SELECT) selects."""

    inherit_cache = True
    # Not Boolean: SQLite would get ``... IN (...) = 1``, which it cannot seek an index with.
    type = NullType()
    # Both parts go into the statement's cache key, as SQLAlchemy's own elements do.
    _traverse_internals = [("column", InternalTraversal.dp_clauseelement),  # noqa: RUF012
                           ("ids", InternalTraversal.dp_clauseelement)]

    def __init__(self, column: ColumnElement[Any], ids: Select[Any]) -> None:
        # Never correlated with the outer query, which may read the same table.
        self.column, self.ids = column, ids.correlate(None).scalar_subquery()


def among(column: Any, ids: Select[Any]) -> AmongIds:
    return AmongIds(column, ids)


@compiles(AmongIds)
def _in(element: AmongIds, compiler: Any, **kw: Any) -> str:
    return f"{compiler.process(element.column, **kw)} IN {compiler.process(element.ids, **kw)}"


@compiles(AmongIds, "postgresql")
def _any(element: AmongIds, compiler: Any, **kw: Any) -> str:
    return (f"{compiler.process(element.column, **kw)} = "
            f"ANY(ARRAY{compiler.process(element.ids, **kw)})")


def listed(column: Any, name: str, arrays: bool, item: Any = None) -> ColumnElement[bool]:
    """``column`` is one of the values given as ``name``: on PostgreSQL (``arrays``) one
    array parameter, ``= ANY(:name)``, so the statement's text is the same for any number of
    values and the server keeps its plan (psycopg prepares a statement it sees again); else
    ``IN`` with one parameter per value."""
    if arrays:
        return column == any_(bindparam(name, type_=ARRAY(item if item is not None
                                                          else String())))
    return column.in_(bindparam(name, expanding=True))


def takes_arrays(connection: Connection) -> bool:
    """Whether :func:`listed` should pass its values as one array on ``connection``."""
    return connection.dialect.name == "postgresql"
