"""A month's evaluation kept per department, to be read again while its inputs stay the same.

One row per month and department: the department's result (its submission state, answers,
KPI cells and flags) as it was evaluated, under the key it was made for (the configuration,
the code, the month and whether it was closed) and the department stamps it was made under
(its own and everyone's; :mod:`summaries.store.deptstamps`). Keeping a department's result
replaces the one before. Only the most recent few months are kept: an older month read again
is evaluated anew.

The results are pickled, and read back by an unpickler that builds nothing but the few types
a result is made of: a row written by hand into the database cannot make the reader run
anything else.
"""

from __future__ import annotations

import datetime
import decimal
import io
import operator
import pickle
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BigInteger, LargeBinary, String, delete, func, insert, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from summaries.engine.cell import Cell
from summaries.engine.flags import FlagSpec
from summaries.engine.report import SubmissionState
from summaries.periods import SubmissionStatus
from summaries.store.base import KEY, Base
from summaries.store.types import UtcDateTime, utcnow

_CELL = operator.attrgetter(*Cell.__slots__)
KEPT_MONTHS = 3  # months whose results are kept at once (the one read and two others)


class KeptResult(Base):
    """One department's evaluated month."""

    __tablename__ = "kept_results"

    period_key: Mapped[str] = mapped_column(String(7), primary_key=True)
    department: Mapped[str] = mapped_column(String(KEY), primary_key=True)
    key: Mapped[str] = mapped_column(String(64))
    stamp: Mapped[int] = mapped_column(BigInteger)  # the department's stamp it was made under
    everyone: Mapped[int] = mapped_column(BigInteger)  # and everyone's
    body: Mapped[bytes] = mapped_column(LargeBinary)
    made_at: Mapped[datetime.datetime] = mapped_column(UtcDateTime, default=utcnow)


@dataclass(frozen=True)
class Result:
    """What a department's evaluated month holds, beside its definition."""

    submission: SubmissionState | None
    answers: Mapping[str, str]
    cells: list[Cell]
    flags: list[FlagSpec]


@dataclass(frozen=True)
class KeptRow:
    """A department's result to keep, or as kept, with the stamps it was made under."""

    department: str
    stamp: int
    everyone: int
    body: bytes


# What a result is made of: the only types the reader builds.
_BUILT = {(t.__module__, t.__qualname__): t for t in (
    FlagSpec, SubmissionState, SubmissionStatus, decimal.Decimal, datetime.datetime,
    datetime.timezone, datetime.timedelta)}


class _Reader(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        found = _BUILT.get((module, name))
        if found is None:
            raise pickle.UnpicklingError(f"a kept result does not hold {module}.{name}")
        return found


def encode(result: Result) -> bytes:
    """A result as it is kept (its cells as the tuples of their fields: they read back in
    half the time)."""
    return pickle.dumps((result.submission, dict(result.answers),
                         [_CELL(c) for c in result.cells], result.flags), protocol=5)


def decode(body: bytes) -> Result:
    """A kept result read back (only the types a result is made of are built)."""
    submission, answers, cells, flags = _Reader(io.BytesIO(body)).load()
    return Result(submission, answers, [Cell(*fields) for fields in cells], flags)


def kept_rows(session: Session, period: str, key: str) -> dict[str, KeptRow]:
    """The results kept for ``period`` under ``key``, by department."""
    rows = session.connection().execute(
        select(KeptResult.department, KeptResult.stamp, KeptResult.everyone, KeptResult.body)
        .where(KeptResult.period_key == period, KeptResult.key == key)).tuples()
    return {dept: KeptRow(dept, stamp, everyone, body) for dept, stamp, everyone, body in rows}


def keep_rows(session: Session, period: str, key: str, rows: Sequence[KeptRow]) -> None:
    """Keep ``rows`` for ``period`` under ``key``, replacing those departments' results; drop
    the results of months beyond the :data:`KEPT_MONTHS` most recently kept."""
    if not rows:
        return
    session.execute(delete(KeptResult).where(
        KeptResult.period_key == period,
        KeptResult.department.in_([row.department for row in rows])))
    session.execute(insert(KeptResult), [
        {"period_key": period, "department": row.department, "key": key, "stamp": row.stamp,
         "everyone": row.everyone, "body": row.body, "made_at": utcnow()} for row in rows])
    others = session.execute(
        select(KeptResult.period_key).where(KeptResult.period_key != period)
        .group_by(KeptResult.period_key)
        .order_by(func.max(KeptResult.made_at).desc(), KeptResult.period_key.desc())
    ).scalars().all()
    if len(others) >= KEPT_MONTHS:
        session.execute(delete(KeptResult).where(
            KeptResult.period_key.in_(others[KEPT_MONTHS - 1:])))
