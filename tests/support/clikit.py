"""The CLI tests' shared steps: seed a month through the command line, and read what is stored."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.cli.main import main
from summaries.checkins.submissions import record_submission
from summaries.config.loader import load_config
from summaries.store.db import make_engine
from summaries.store.models import Flag, Period


def seed_october(database: str, tmp_path: Path, figures: str, config: Path,
                 answers: dict[str, str]) -> str:
    """Import ``figures`` (CSV text) and store East County's October summary; the URL."""
    path = tmp_path / "figures.csv"
    path.write_text(figures, encoding="utf-8")
    assert main(["figures", "import", str(path)]) == 0
    engine = make_engine(database, poolclass=sa.pool.NullPool)
    with Session(engine) as session:
        record_submission(session, load_config(config), period="2026-10",
                          department="east-county", user="U0EAST", answers=answers,
                          figures={"revenue": Decimal(2200000)})
        session.commit()
    engine.dispose()
    return database


def stored(url: str) -> tuple[dict[str, str], int]:
    """Each period's state, and how many flags are stored."""
    engine = make_engine(url, poolclass=sa.pool.NullPool)
    with Session(engine) as session:
        states = dict(session.execute(sa.select(Period.key, Period.state)).tuples().all())
        flags = session.scalar(sa.select(sa.func.count()).select_from(Flag)) or 0
    engine.dispose()
    return states, flags
