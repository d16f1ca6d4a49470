"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnExpressionArgument, DateTime, Dialect, Numeric, String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import NullType, TypeDecorator, TypeEngine

from summaries.numbers import check_bounds, fits_column

log = logging.getLogger(__name__)


class Amount(TypeDecorator[Decimal]):
    """An exact decimal: NUMERIC on PostgreSQL, decimal text on SQLite (which has no decimal)."""

    impl = Numeric(28, 8)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(48))
        return dialect.type_descriptor(Numeric(28, 8))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        # Every way in parses with summaries.numbers; this is the last line, so SQLite's text
        # column never holds what PostgreSQL's NUMERIC(28, 8) would refuse.
        value = check_bounds(Decimal(value))
        return str(value) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return read_stored(value)


def read_amount(value: Any) -> Decimal:
    """A stored amount as written: PostgreSQL pads to the column's scale (``1.50000000``),
    SQLite gives back the text stored; either way without trailing zeros or an exponent.

    Reading is the larger part of loading a month at scale, so the common shapes (decimal text
    or a Decimal without an exponent) take no detour through formatting.
    """
    text = value if isinstance(value, str) else str(value)
    if "E" in text or "e" in text:
        text = format(Decimal(text), "f")
    if "." in text and text[-1] == "0":
        text = text.rstrip("0").rstrip(".")
    return Decimal(text)


def read_stored(value: Any) -> Decimal | None:
    """A stored amount, or None (with a warning) for one beyond the column's bounds, which only
    an older version could have written: the engine and the renderers never meet it."""
    amount = read_amount(value)
    if fits_column(amount):
        return amount
    log.warning("a stored amount beyond NUMERIC(28, 8) is read as no value: %.40s", value)
    return None


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back time-zone aware."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


class stored_text(FunctionElement[Any]):  # lower case: an SQL function, as SQL's are
    """An :class:`Amount` column as the text :func:`read_amount` reads fastest, with no
    conversion by the column's type or the driver: SQLite's stored text as it is; PostgreSQL's
    NUMERIC without the zeros its scale pads it with (``trim_scale``, PostgreSQL 13 and
    newer), so that a whole amount arrives as digits alone and the driver builds no Decimal a
    reader would rebuild."""

    type = NullType()
    inherit_cache = True

    def __init__(self, column: ColumnExpressionArgument[Any]) -> None:
        super().__init__(column)


@compiles(stored_text)
def _stored_text(element: stored_text, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(stored_text, "postgresql")
def _stored_text_postgresql(element: stored_text, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST(trim_scale({compiler.process(element.clauses, **kw)}) AS TEXT)"
