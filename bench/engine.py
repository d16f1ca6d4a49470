"""Benchmark the comparison engine: N departments x K KPIs with M months of history on SQLite.

``python bench/engine.py [--sizes 50,500,1000] [--kpis 30] [--months 24] [--repeat 5] [--db PATH]``
(the project installed, ``pip install -e .``). Per size: a seeded organization is stored, then
the database load (``load_inputs``) and the compute (``evaluate``) are timed apart, median of
``--repeat`` runs, and ``evaluate_period`` with ``refresh_flags`` (flag storage) once.
Budget: 500 departments x 30 KPIs compute in under 1 s (load excluded), growing linearly with
the departments.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy
import yaml
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session, sessionmaker

from summaries.checkins.evaluation import evaluate_period, load_inputs, refresh_flags
from summaries.config.loader import parse_config
from summaries.config.schema import Config
from summaries.engine.report import evaluate
from summaries.periods import Month
from summaries.store.catalog import sync_config
from summaries.store.db import make_engine, session_factory
from summaries.store.models import Figure, Period, SectionAnswer, Submission, Target
from summaries.store.tables import Base

T = TypeVar("T")
MONTH = Month(2026, 10)
NOW = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)
PHASING = [str(w) for w in (6, 7, 8, 8, 8, 9, 9, 8, 8, 9, 10, 10)]
BUDGET_SECONDS = 1.0


def kpi_entries(count: int) -> list[dict[str, Any]]:
    """Mostly sums, a few mean % KPIs, two ``last`` KPIs and two derived ones."""
    means = max(1, count // 6)
    sums = count - means - 4
    kpis: list[dict[str, Any]] = [
        {"key": "revenue", "name": "Revenue", "unit": "EUR", "headline": True},
        {"key": "costs", "name": "Costs", "unit": "EUR", "better": "lower", "headline": True},
    ]
    kpis += [{"key": f"volume_{i:02d}", "name": f"Volume {i}", "unit": "units", "min": 0,
              "better": "lower" if i % 5 == 0 else "higher"} for i in range(3, sums + 1)]
    kpis += [{"key": "customers", "name": "Customers", "unit": "customers", "accumulate": "last"},
             {"key": "staff", "name": "Staff", "unit": "people", "accumulate": "last",
              "better": "none"}]
    kpis += [{"key": f"rate_{i}", "name": f"Rate {i}", "unit": "%", "decimals": 1, "min": 0,
              "max": 100, "accumulate": "mean", "better": "lower" if i % 2 else "higher"}
             for i in range(1, means + 1)]
    kpis += [{"key": "revenue_per_customer", "name": "Revenue per customer", "unit": "EUR",
              "formula": "revenue / customers", "headline": True},
             {"key": "cost_ratio", "name": "Cost ratio", "unit": "%", "decimals": 1,
              "better": "lower", "formula": "round(costs / revenue * 100, 1)"}]
    return kpis


def config_text(departments: int, kpis: list[dict[str, Any]],
                admins: list[str] | None = None) -> str:
    """Departments ``d0000``.. managed by ``U00000``..: every tenth a parent of the next nine."""
    keys = [k["key"] for k in kpis]
    depts = [{"key": f"d{i:04d}", "name": f"Department {i}", "manager": f"U{i:05d}",
              "parent": None if i % 10 == 0 else f"d{i - i % 10:04d}", "kpis": keys}
             for i in range(departments)]
    data = {
        "organization": {"name": "Benchmark Org", "currency": "EUR", "fiscal_year_start": 1,
                         "leadership_channel": "C0LEADERS", "leaders": ["U0CEO"],
                         **({"admins": admins} if admins else {})},
        "sections": [{"key": "market", "title": "Market"},
                     {"key": "sales", "title": "Sales", "required": True},
                     {"key": "problems", "title": "Problems", "raise": True},
                     {"key": "plan", "title": "Plan"}],
        "kpis": kpis,
        "departments": [{k: v for k, v in d.items() if v is not None} for d in depts],
        "rules": {"tolerance": "5%", "streak_months": 3, "pacing_grace_months": 2},
    }
    return yaml.safe_dump(data, sort_keys=False, default_flow_style=None)


def populate(session: Session, config: Config, months: int, rng: random.Random, *,
             target_months: int = 3, plan_years: int = 1) -> None:
    """Store departments, KPIs, periods, figures, targets and submissions (bulk inserts).

    Monthly targets cover the last ``target_months`` months, annual plans the last
    ``plan_years`` years (the defaults: what the evaluated month needs).
    """
    catalog = sync_config(session, config)
    dept_ids, kpi_ids = catalog.department_ids, catalog.kpi_ids
    stored = [k for k in config.kpis if not k.formula]
    sums = [k.key for k in stored if k.accumulate == "sum"]
    children = {d.key: [c.key for c in config.children_of(d.key)] for d in config.departments}
    leaves = [key for key, kids in children.items() if not kids]
    levels = {"revenue": (50_000, 500_000), "customers": (50, 2000), "staff": (5, 80)}
    base: dict[tuple[str, str], float] = {}
    for dept in leaves:
        for k in stored:
            low, high = levels.get(k.key, (1, 4) if k.better == "lower" else (90, 99))
            base[(dept, k.key)] = rng.uniform(low, high) if k.is_percent or k.key in levels \
                else rng.uniform(20, 2000)
        base[(dept, "costs")] = base[(dept, "revenue")] * rng.uniform(0.6, 0.95)
    for dept, kids in children.items():  # a parent's level is its children's total
        base.update({(dept, k.key): sum(base[(c, k.key)] for c in kids) for k in stored if kids})

    def expected(dept: str, kpi: str, t: int) -> float:
        return base[(dept, kpi)] * (1 + 0.004 * t)

    periods = [MONTH.shift(i - months + 1) for i in range(months)]
    session.execute(insert(Period), [
        {"id": i + 1, "key": str(m), "state": "closed", "opened_at": NOW, "closed_at": NOW,
         "created_at": NOW} for i, m in enumerate(periods)])
    for t, _month in enumerate(periods):
        rows = []
        for dept in leaves:
            for k in stored:
                if rng.random() < 0.03:
                    continue  # a few percent of figures missing
                if k.is_percent:
                    rate = min(100.0, max(0.0, base[(dept, k.key)] + rng.uniform(-1.5, 1.5)))
                    value = Decimal(f"{rate:.1f}")
                else:
                    value = Decimal(round(expected(dept, k.key, t) * rng.uniform(0.88, 1.12)))
                rows.append({"period_id": t + 1, "department_id": dept_ids[dept],
                             "kpi_id": kpi_ids[k.key], "value": value,
                             "source": "imported" if rng.random() < 0.1 else "submitted",
                             "recorded_by": "U0OPS", "recorded_at": NOW})
        session.execute(insert(Base.metadata.tables["figures"]), rows)  # Core: fast on PG
    targets: list[dict[str, Any]] = []

    def target(kpi: str, dept: str | None, kind: str, value: float, **extra: Any) -> None:
        targets.append({"kpi_id": kpi_ids[kpi], "kind": kind, "value": Decimal(f"{value:.1f}"),
                        "department_id": dept_ids[dept] if dept else None, "month": None,
                        "year": None, "stretch": None, "phasing": None, "source": "import",
                        "recorded_at": NOW, **extra})

    last = len(periods) - 1
    for d in config.departments:
        for kpi in sums:
            for back in range(target_months - 1, -1, -1):  # default: the month and its streak
                level = round(expected(d.key, kpi, last - back) * rng.uniform(0.9, 1.06))
                stretch = Decimal(round(level * 1.1)) if rng.random() < 0.25 else None
                target(kpi, d.key, "monthly", level, month=str(MONTH.shift(-back)),
                       stretch=stretch)
            for years_back in range(plan_years):
                if rng.random() < 1 / 3:
                    first = last - 9 - 12 * years_back  # January of that year
                    plan = sum(expected(d.key, kpi, first + i) for i in range(12))
                    target(kpi, d.key, "annual", round(plan * rng.uniform(0.9, 1.06)),
                           year=MONTH.year - years_back,
                           phasing=PHASING if rng.random() < 0.5 else None)
    for k in stored:
        if k.is_percent:  # a control limit on lower-is-better rates, a floor on the others
            kind = "max" if k.better == "lower" else "min"
            target(k.key, None, kind, 5.0 if kind == "max" else 90.0, month="2025-01")
    for start in range(0, len(targets), 20_000):  # Core: the ORM would split at every None
        session.execute(insert(Base.metadata.tables["targets"]), targets[start:start + 20_000])
    answers, submissions = [], []
    for i, d in enumerate(config.departments, start=1):
        draw = rng.random()
        if draw > 0.95:
            continue  # no summary at all
        status = "submitted" if draw < 0.85 else "late" if draw < 0.9 else "draft"
        submissions.append({"id": i, "period_id": len(periods), "department_id": dept_ids[d.key],
                            "status": status, "submitted_by": d.manager, "submitted_at": NOW,
                            "updated_at": NOW, "created_at": NOW})
        answers.append({"submission_id": i, "section_key": "sales", "text": "On plan."})
        if rng.random() < 0.25:
            text = "\n".join(f"- Problem {j} of {d.key}" for j in range(rng.randint(1, 3)))
            answers.append({"submission_id": i, "section_key": "problems", "text": text})
    session.execute(insert(Submission), submissions)
    session.execute(insert(SectionAnswer), answers)


def timed(fn: Callable[[], T], repeat: int) -> tuple[list[float], T]:
    times: list[float] = []
    result: T | None = None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    assert result is not None
    return times, result


def stats(times: list[float]) -> str:
    return f"{statistics.median(times):6.3f} ({min(times):.3f}-{max(times):.3f})"


@contextmanager
def database(path: str | None) -> Iterator[Path]:
    if path is not None:
        if Path(path).exists():
            raise SystemExit(f"{path} exists: give a new path (the benchmark rewrites it)")
        yield Path(path)
        return
    with tempfile.TemporaryDirectory(prefix="bench-engine-") as folder:
        yield Path(folder) / "bench.db"


def bare_pass(figures: Any) -> Decimal:
    """The same-run baseline: touch every loaded figure once with Decimal arithmetic."""
    total = Decimal(0)
    for by_month in figures.values():
        values = list(by_month.values())
        total += sum(values, Decimal(0)) / len(values)
    return total


def run_size(factory: sessionmaker[Session], size: int, args: argparse.Namespace
             ) -> dict[str, Any]:
    start = time.perf_counter()
    config = parse_config(config_text(size, kpi_entries(args.kpis)), f"bench-{size}.yaml")
    with factory() as session:
        populate(session, config, args.months, random.Random(args.seed * 100_003 + size))
        session.commit()
        figures = session.scalar(select(func.count()).select_from(Figure))
        targets = session.scalar(select(func.count()).select_from(Target))
    setup = time.perf_counter() - start
    print(f"  setup {size:>5} departments: {setup:6.1f} s (generate and insert; not budgeted)",
          flush=True)

    def load() -> Any:
        with factory() as session:
            return load_inputs(session, config, MONTH)

    load_times, inputs = timed(load, args.repeat)
    # Baseline and compute alternate, so both see the same moments of a noisy machine.
    compute_times: list[float] = []
    base_times: list[float] = []
    report = None
    for _ in range(args.repeat):
        base_times += timed(lambda: bare_pass(inputs.figures), 1)[0]
        times, report = timed(lambda: evaluate(config, MONTH, inputs, closed=True), 1)
        compute_times += times
    assert report is not None
    with factory() as session:  # once: it writes the flags
        begin = time.perf_counter()
        refresh_flags(session, evaluate_period(session, config, MONTH, closed=True))
        session.commit()
        whole = time.perf_counter() - begin
    cells = size * len(config.kpis)
    return {"size": size, "cells": cells, "figures": figures, "targets": targets,
            "load": load_times, "compute": compute_times, "base": base_times, "whole": whole,
            "flags": len(report.flags)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default="50,500,1000", help="department counts, comma-separated")
    for name, default in (("--kpis", 30), ("--months", 24), ("--repeat", 5), ("--seed", 1)):
        parser.add_argument(name, type=int, default=default)
    parser.add_argument("--db", default=None, help="SQLite file (default: temporary, removed)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.kpis < 7 or args.months < 13 or args.repeat < 1 or min(sizes) < 1:
        parser.error("needs --kpis >= 7, --months >= 13, --repeat >= 1 and sizes >= 1")
    print(f"Python {platform.python_version()} ({platform.python_implementation()}), "
          f"SQLAlchemy {sqlalchemy.__version__}, SQLite {sqlite3.sqlite_version}, "
          f"{platform.platform()}")
    print(f"Evaluating {MONTH}: {args.kpis} KPIs, {args.months} months of history; times in "
          f"seconds, median (min-max) of {args.repeat} runs on a shared machine, so expect noise.")
    results = []
    with database(args.db) as path:
        engine = make_engine(f"sqlite:///{path}")
        factory = session_factory(engine)
        for size in sizes:
            Base.metadata.drop_all(engine)
            Base.metadata.create_all(engine)
            results.append(run_size(factory, size, args))
        engine.dispose()
    print(f"\n{'depts':>6} {'cells':>7} {'figures':>8} {'targets':>7}  {'load':<21}"
          f" {'compute':<21} {'ms/1k cells':>11} {'baseline':>8} {'x base':>6}"
          f" {'eval+store':>10} {'flags':>6}")
    for r in results:
        compute = statistics.median(r["compute"])
        base = statistics.median(r["base"])
        print(f"{r['size']:>6} {r['cells']:>7} {r['figures']:>8} {r['targets']:>7}  "
              f"{stats(r['load']):<21} {stats(r['compute']):<21} "
              f"{compute * 1e6 / r['cells']:>11.1f} {base:>8.3f} {compute / base:>6.1f} "
              f"{r['whole']:>10.3f} {r['flags']:>6}")
    print("baseline: one pass of Decimal arithmetic over the loaded figures, run alternately "
          "with the compute; 'x base' is compute / baseline, steadier than seconds on a busy "
          "machine.")
    by_size = {r["size"]: statistics.median(r["compute"]) for r in results}
    if 500 in by_size:
        verdict = "under" if by_size[500] < BUDGET_SECONDS else "OVER"
        print(f"\nBudget: 500 departments compute {by_size[500]:.3f} s, {verdict} the "
              f"{BUDGET_SECONDS:.0f} s budget (database load excluded).")
    ordered = sorted(by_size)
    for small, large in itertools.pairwise(ordered):
        scaled = (by_size[large] / by_size[small]) / (large / small)
        print(f"Linearity: compute({large})/compute({small}) = "
              f"{by_size[large] / by_size[small]:.2f}, scaled by size {scaled:.2f} "
              "(1.00 = linear)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
