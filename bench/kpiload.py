"""Load ``bench/kpi.py``'s organization the way a user does: CSV files through the import commands.

The figures and targets are those of ``bench/engine.py``'s ``populate`` (generated into a
scratch in-memory database, so both benches see the same numbers), written as the long-format
CSV files of SPEC section 10 and loaded with ``checkin db upgrade``, then ``checkin targets
import`` and ``checkin figures import`` (one file per year, as a history is usually kept) in
processes of their own. Nothing else touches the database: no statistics are gathered here, so
the bot runs on what the import commands leave behind, as it would for a user.
"""

from __future__ import annotations

import csv
import os
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from bench.engine import config_text, kpi_entries, populate
from summaries.config.loader import parse_config
from summaries.config.schema import Config
from summaries.store.db import make_engine, session_factory
from summaries.store.models import Department, Figure, Kpi, Period, Target
from summaries.store.tables import Base

ROOT = Path(__file__).resolve().parents[1]
# bench/kpi.py's organization and history.
DEPARTMENTS, KPIS, MONTHS, TARGET_MONTHS, PLAN_YEARS = 200, 40, 60, 24, 2
ADMIN = "U0ADMIN"
FIGURE_HEADER = ("kpi", "department", "month", "value")
TARGET_HEADER = ("kpi", "department", "month", "year", "target", "stretch", "annual",
                 "phasing", "max", "min", "from")


def generated(config: Config, months: int, seed: int, target_months: int, plan_years: int
              ) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    """The generated figures and targets as CSV rows (figures oldest month first)."""
    engine = make_engine("sqlite://")
    Base.metadata.create_all(engine)
    with session_factory(engine).begin() as session:
        populate(session, config, months, random.Random(seed), target_months=target_months,
                 plan_years=plan_years)
        dept = dict(session.execute(select(Department.id, Department.key)).tuples().all())
        kpi = dict(session.execute(select(Kpi.id, Kpi.key)).tuples().all())
        period = dict(session.execute(select(Period.id, Period.key)).tuples().all())
        stored = session.execute(
            select(Figure.period_id, Figure.department_id, Figure.kpi_id, Figure.value)
            .order_by(Figure.period_id, Figure.department_id, Figure.kpi_id)).tuples()
        figures: list[tuple[str, ...]] = [(kpi[k], dept[d], period[p], _plain(v))
                                          for p, d, k, v in stored]
        targets = [_target(t, kpi, dept) for t in session.scalars(
            select(Target).order_by(Target.id))]
    engine.dispose()
    return figures, targets


def _target(row: Target, kpi: dict[int, str], dept: dict[int, str]) -> tuple[str, ...]:
    """One target as a row of TARGET_HEADER: its kind decides which value column is filled."""
    cells = dict.fromkeys(TARGET_HEADER, "")
    cells["kpi"] = kpi[row.kpi_id]
    cells["department"] = dept[row.department_id] if row.department_id is not None else ""
    value = _plain(row.value)
    if row.kind == "monthly":
        cells.update(month=row.month or "", target=value,
                     stretch=_plain(row.stretch) if row.stretch is not None else "")
    elif row.kind == "annual":
        cells.update(year=str(row.year), annual=value,
                     phasing=";".join(row.phasing) if row.phasing else "")
    else:
        cells.update({row.kind: value, "from": row.month or ""})
    return tuple(cells[c] for c in TARGET_HEADER)


def _plain(value: Decimal) -> str:
    return format(value, "f")


def write_csv(path: Path, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)


def by_year(rows: list[tuple[str, ...]]) -> Iterator[tuple[str, list[tuple[str, ...]]]]:
    """The figure rows grouped by their month's year, oldest first."""
    years: dict[str, list[tuple[str, ...]]] = {}
    for row in rows:
        years.setdefault(row[2][:4], []).append(row)
    yield from sorted(years.items())


def checkin(folder: Path, url: str, *words: str) -> None:
    """Run one ``checkin`` command on the bench's configuration and database."""
    command = [sys.executable, "-m", "bot", "--config", str(folder / "bench-kpi.yaml"), *words]
    env: dict[str, Any] = {**os.environ, "DATABASE_URL": url, "LOG_LEVEL": "WARNING"}
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"checkin {' '.join(words)} failed ({done.returncode}):\n"
                         f"{done.stdout}{done.stderr}")


def import_all(folder: Path, url: str, config: Config, config_yaml: str, months: int,
               seed: int, target_months: int, plan_years: int) -> str:
    """Upgrade the schema, import the targets, then the figures a year at a time; a line with
    the time taken and what was imported."""
    (folder / "bench-kpi.yaml").write_text(config_yaml, encoding="utf-8")
    figures, targets = generated(config, months, seed, target_months, plan_years)
    began = time.perf_counter()
    checkin(folder, url, "db", "upgrade")
    write_csv(folder / "targets.csv", TARGET_HEADER, targets)
    checkin(folder, url, "targets", "import", str(folder / "targets.csv"))
    for year, rows in by_year(figures):
        path = folder / f"figures-{year}.csv"
        write_csv(path, FIGURE_HEADER, rows)
        checkin(folder, url, "figures", "import", str(path))
    took = time.perf_counter() - began
    return (f"Imported {len(targets)} targets and {len(figures)} figures with `checkin targets "
            f"import` and `checkin figures import` (one file a year) in {took:.0f} s, "
            "statistics as the commands leave them.")


def load(url: str, seed: int, folder: Path, loaded: bool) -> tuple[Config, str, str]:
    """Import the generated organization as a user would (``bench/kpiload.py``; ``loaded``: it
    already was, into ``url``); (config, its YAML, a line with time and counts)."""
    text = config_text(DEPARTMENTS, kpi_entries(KPIS), admins=[ADMIN])
    config = parse_config(text, "bench-kpi.yaml")
    line = ("Reused a database loaded by an earlier run with the import commands." if loaded
            else import_all(folder, url, config, text, MONTHS, seed, TARGET_MONTHS, PLAN_YEARS))
    engine = make_engine(url)
    with session_factory(engine)() as session:
        figures = session.scalar(select(func.count()).select_from(Figure))
        periods = session.scalar(select(func.count()).select_from(Period))
    engine.dispose()
    return config, text, (f"{line}\n{DEPARTMENTS} departments x {len(config.kpis)} KPIs x "
                          f"{periods} months: {figures} figure rows (leaves only, parents roll "
                          "up; 3% left blank).")
