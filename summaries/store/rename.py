"""Renames of a KPI or department key (SPEC 4.2), and the stored data the configuration no
longer names. Stored rows refer to departments and KPIs by id, so a rename moves the key of
the catalog row and the few places that keep keys as text; one transaction, the caller's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from summaries.config.schema import Config
from summaries.errors import DomainError
from summaries.store.infra import OutboxMessage
from summaries.store.models import (
    Department,
    Figure,
    Flag,
    Kpi,
    Revision,
    SectionAnswer,
    Submission,
    Target,
)

Kind = Literal["kpi", "department"]
# What a rename moves, in the order it is reported.
MOVED = ("figures", "targets", "submissions", "answers", "revisions", "flags")


@dataclass(frozen=True)
class Held:
    """The stored rows that belong to one key, by what they are."""

    kind: Kind
    key: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def describe(self) -> str:
        """``12 figures, 2 targets`` (only what there is); ``nothing`` when empty."""
        parts = [f"{n} {name if n != 1 else name.removesuffix('s')}"
                 for name, n in self.counts.items() if n]
        return ", ".join(parts) or "nothing"


def held(session: Session, kind: Kind, key: str, *, config_targets: bool = True) -> Held:
    """What is stored under ``key`` (a KPI's or a department's); without ``config_targets``,
    targets recorded from the configuration file (which a sync writes again) are left out."""
    model: Any = Kpi if kind == "kpi" else Department
    row_id = session.scalar(select(model.id).where(model.key == key))
    counts = dict.fromkeys(MOVED, 0)
    if row_id is None:
        return Held(kind, key, counts)
    count = _counter(session)
    own = Target.source != "config" if not config_targets else Target.id.is_not(None)
    if kind == "kpi":
        counts["figures"] = count(Figure, Figure.kpi_id == row_id)
        counts["targets"] = count(Target, (Target.kpi_id == row_id) & own)
        counts["revisions"] = count(Revision, Revision.field == f"kpi:{key}")
        counts["flags"] = count(Flag, Flag.kpi_key == key)
    else:
        counts["figures"] = count(Figure, Figure.department_id == row_id)
        counts["targets"] = count(Target, (Target.department_id == row_id) & own)
        counts["submissions"] = count(Submission, Submission.department_id == row_id)
        counts["answers"] = session.scalar(
            select(func.count(SectionAnswer.id)).join(Submission)
            .where(Submission.department_id == row_id)) or 0
        counts["revisions"] = count(Revision, Revision.department_id == row_id)
        counts["flags"] = count(Flag, Flag.department_id == row_id)
    return Held(kind, key, counts)


def _counter(session: Session) -> Any:
    def count(model: Any, condition: Any) -> int:
        return session.scalar(select(func.count(model.id)).where(condition)) or 0
    return count


def orphans(session: Session, config: Config) -> list[Held]:
    """Stored data under KPI or department keys the configuration no longer has."""
    found = []
    for kind, model, known in (("kpi", Kpi, config.kpi_by_key),
                               ("department", Department, config.department_by_key)):
        for key in session.scalars(select(model.key).order_by(model.key)):
            if key not in known:
                stored = held(session, kind, key)  # type: ignore[arg-type]
                if stored.total:
                    found.append(stored)
    return found


def rename(session: Session, config: Config, kind: Kind, old: str, new: str) -> Held:
    """Move everything stored under ``old`` to ``new`` and say what moved. The configuration
    must already say ``new``; ``new`` must hold no data of its own."""
    known = config.kpi_by_key if kind == "kpi" else config.department_by_key
    if new not in known:
        raise DomainError(f"the configuration has no {kind} {new!r}: rename it there first")
    if old == new:
        raise DomainError(f"{old!r} and {new!r} are the same key")
    if old in known:
        raise DomainError(f"the configuration still has the {kind} {old!r}: rename it there "
                          "first")
    moving = held(session, kind, old)
    model: Any = Kpi if kind == "kpi" else Department
    source = session.scalars(select(model).where(model.key == old)).first()
    if source is None:
        raise DomainError(f"nothing is stored under the {kind} {old!r}")
    target = held(session, kind, new, config_targets=False)
    if target.total:
        raise DomainError(f"the {kind} {new!r} already holds data ({target.describe()}); "
                          "nothing was moved")
    empty = session.scalars(select(model).where(model.key == new)).first()
    if empty is not None:  # made by a sync of the new file: only the file's targets in it
        column = Target.kpi_id if kind == "kpi" else Target.department_id
        session.execute(delete(Target).where(column == empty.id))
        session.delete(empty)
        session.flush()
    source.key = new
    if kind == "kpi":
        session.execute(update(Revision).where(Revision.field == f"kpi:{old}")
                        .values(field=f"kpi:{new}"))
        session.execute(update(Flag).where(Flag.kpi_key == old).values(kpi_key=new))
    else:
        session.execute(update(Department).where(Department.parent_key == old)
                        .values(parent_key=new))
        _rename_outbox(session, old, new)
    session.flush()
    return moving


def _rename_outbox(session: Session, old: str, new: str) -> None:
    """Messages already sent for ``old`` count as sent for ``new``: their keys name it."""
    rows = session.scalars(select(OutboxMessage).where(OutboxMessage.department_key == old))
    for row in rows:
        row.department_key = new
        row.key = ":".join(new if part == old else part for part in row.key.split(":"))
