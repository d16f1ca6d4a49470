"""Shared data and helpers for the CSV import tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from summaries.config.schema import Config
from summaries.errors import InputError
from summaries.imports.importers import import_figures, import_targets
from summaries.store.catalog import sync_config
from summaries.store.db import make_engine, session_factory, unit_of_work
from summaries.store.models import Figure, Period, Revision, Target
from summaries.store.tables import Base

EXAMPLES = Path(__file__).parents[2] / "summaries" / "example"
TARGETS_HEADER = "kpi,department,month,target,stretch"
TARGETS_OK = """\
kpi,department,month,target,stretch
revenue,east-county,2026-09,2300000,2600000
revenue,west-county,2026-09,2100000,
arrears_recovery,east-county,2026-09,98.5,
revenue,marketing,2026-09,6600000,7000000
inspections,safety,2026-09,3,
"""
FIGURES_OK = """\
kpi,department,month,value
revenue,east-county,2026-09,2400000
arrears_recovery,east-county,2026-09,98.7
inspections,safety,2026-09,3
"""


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def problems_of(raised: pytest.ExceptionInfo[InputError]) -> list[str]:
    return [str(p) for p in raised.value.problems]


def count(db: Session, model: type[Base], **where: Any) -> int:
    query = select(func.count()).select_from(model).filter_by(**where)
    return db.execute(query).scalar_one()


def assert_nothing_written(db: Session, flushes: list[int]) -> None:
    assert flushes == []
    assert (list(db.new), list(db.dirty), list(db.deleted)) == ([], [], [])
    assert count(db, Target, source="csv") == 0
    assert count(db, Figure) == 0
    assert count(db, Revision) == 0
    assert count(db, Period) == 0


@contextmanager
def example_database(config: Config, *, plans: bool = True,
                     more_figures: str | None = None) -> Iterator[Session]:
    """A session on a new in-memory database holding the example's history (targets, plans
    unless told otherwise, figures, and ``more_figures`` as CSV text), committed on exit."""
    engine = make_engine("sqlite://")
    Base.metadata.create_all(engine)
    try:
        with unit_of_work(session_factory(engine)) as db:
            sync_config(db, config)
            history = EXAMPLES / "history"
            import_targets(db, config, history / "targets.csv")
            if plans:
                import_targets(db, config, history / "plans.csv")
            import_figures(db, config, history / "figures.csv")
            if more_figures is not None:
                import_figures(db, config, more_figures, filename="more.csv")
            yield db
    finally:
        engine.dispose()
