"""Benchmark the leadership digest: N departments x K KPIs, compiled, built for Slack, rendered.

``python bench/digest.py [--sizes 50,500,1000] [--kpis 30] [--months 13] [--repeat 5]
[--database-url URL]`` (the project installed, ``pip install -e .``). Per size a seeded
organization is stored (the generator of ``bench/engine.py``, plus long section texts), then two
paths are timed, median of ``--repeat`` runs:

(a) from memory: ``compile_digest`` + ``header_messages`` + every ``department_messages`` +
    ``render_markdown``, from a PeriodReport evaluated beforehand;
(b) from the database as the close does it: ``load_month`` and ``refresh_flags`` (evaluate,
    store flags, trend), ``compile_digest``, then the same Slack payloads and Markdown; each
    run is rolled back so every run does the same work.

Budget: 500 departments x 30 KPIs in under 2 s, growing linearly. The default database is a
temporary SQLite file; ``--database-url`` names another (its tables are dropped and rebuilt:
give a scratch database).
"""

from __future__ import annotations

import argparse
import itertools
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for bench.engine

import sqlalchemy
from sqlalchemy import insert, select
from sqlalchemy.orm import Session, sessionmaker

from bench.engine import MONTH, config_text, kpi_entries, populate, stats, timed
from bot.blocks.digest import department_messages, header_messages
from summaries.checkins.evaluation import load_inputs, refresh_flags
from summaries.config.loader import parse_config
from summaries.config.schema import Config
from summaries.digest.load import load_month, load_trend
from summaries.digest.model import Digest, compile_digest
from summaries.digest.render import render_markdown
from summaries.engine.report import evaluate
from summaries.store.db import make_engine, session_factory
from summaries.store.models import SectionAnswer, Submission
from summaries.store.tables import Base

BUDGET_SECONDS = 2.0
SENTENCE = ("Orders from the county hospitals & schools grew again; two <big> tenders are "
            "pending, and the installers' backlog is down to {n} households. ")


def add_section_texts(session: Session, rng: random.Random) -> None:
    """Market and plan answers of 300 to 2,900 characters for every stored submission."""
    rows = []
    for submission_id in session.scalars(select(Submission.id)):
        for key in ("market", "plan"):
            size = rng.randint(300, 2900)
            text = "".join(SENTENCE.format(n=n) for n in range(size // len(SENTENCE) + 1))
            rows.append({"submission_id": submission_id, "section_key": key,
                         "text": text[:size]})
    session.execute(insert(SectionAnswer), rows)


def publish(digest: Digest) -> int:
    """Build everything a close posts or exports (Slack payloads, Markdown); the payloads."""
    payloads = header_messages(digest)
    for department in digest.departments:
        payloads += department_messages(digest, department.key)
    render_markdown(digest)
    return len(payloads)


def load(factory: sessionmaker[Session], config: Config) -> Digest:
    """The digest as the close makes it (evaluated, flags stored, compiled), rolled back for
    the next run."""
    with factory() as session:
        report, trend = load_month(session, config, MONTH)
        refresh_flags(session, report)
        digest = compile_digest(config, report, trend)
        session.rollback()
    return digest


def setup(factory: sessionmaker[Session], size: int, args: argparse.Namespace) -> Config:
    """Store a generated organization of ``size`` departments, with section texts."""
    began = time.perf_counter()
    config = parse_config(config_text(size, kpi_entries(args.kpis)), f"bench-{size}.yaml")
    rng = random.Random(args.seed * 100_003 + size)
    with factory.begin() as session:
        populate(session, config, args.months, rng)
        add_section_texts(session, rng)
    print(f"  setup {size:>5} departments: {time.perf_counter() - began:6.1f} s "
          "(generate and insert; not budgeted)", flush=True)
    return config


def run_size(factory: sessionmaker[Session], size: int, args: argparse.Namespace
             ) -> dict[str, Any]:
    config = setup(factory, size, args)
    with factory() as session:
        inputs = load_inputs(session, config, MONTH)
        trend = load_trend(session, config, MONTH)
    evaluate_times, report = timed(lambda: evaluate(config, MONTH, inputs, closed=True), 1)
    memory_times, payloads = timed(
        lambda: publish(compile_digest(config, report, trend)), args.repeat)
    load_times, _ = timed(lambda: load(factory, config), args.repeat)
    database_times, _ = timed(lambda: publish(load(factory, config)), args.repeat)
    return {"size": size, "payloads": payloads, "flags": len(report.flags),
            "evaluate": evaluate_times, "memory": memory_times, "load": load_times,
            "database": database_times}


def report_results(results: list[dict[str, Any]], label: str) -> None:
    print(f"\n{'depts':>6} {'payloads':>8} {'flags':>6}  {'(a) memory':<21} {'µs/dept':>8}"
          f"  {'(b) close':<21} {'(b) database':<21} {'µs/dept':>8}")
    for r in results:
        memory, database = statistics.median(r["memory"]), statistics.median(r["database"])
        print(f"{r['size']:>6} {r['payloads']:>8} {r['flags']:>6}  {stats(r['memory']):<21} "
              f"{memory * 1e6 / r['size']:>8.0f}  {stats(r['load']):<21} "
              f"{stats(r['database']):<21} {database * 1e6 / r['size']:>8.0f}")
    print("(a): compile + header + department replies + Markdown from an evaluated report "
          "(evaluate itself excluded); (b): the same from the database, evaluation and flag "
          "storage included.")
    by_size = {r["size"]: r for r in results}
    if 500 in by_size:
        for key, name in (("memory", "(a)"), ("database", "(b)")):
            took = statistics.median(by_size[500][key])
            verdict = "under" if took < BUDGET_SECONDS else "OVER"
            print(f"Budget {name} {label}: 500 departments {took:.3f} s, {verdict} the "
                  f"{BUDGET_SECONDS:.0f} s budget.")
    for small, large in itertools.pairwise(sorted(by_size)):
        for key, name in (("memory", "(a)"), ("database", "(b)")):
            ratio = statistics.median(by_size[large][key]) / statistics.median(
                by_size[small][key])
            print(f"Linearity {name}: {large}/{small} departments took {ratio:.2f}x, "
                  f"{ratio / (large / small):.2f} scaled by size (1.00 = linear)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default="50,500,1000", help="department counts, comma-separated")
    for name, default in (("--kpis", 30), ("--months", 13), ("--repeat", 5), ("--seed", 1)):
        parser.add_argument(name, type=int, default=default)
    parser.add_argument("--database-url", default=None,
                        help="a scratch database (default: a temporary SQLite file)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.kpis < 7 or args.months < 13 or args.repeat < 1 or min(sizes) < 1:
        parser.error("needs --kpis >= 7, --months >= 13, --repeat >= 1 and sizes >= 1")
    with tempfile.TemporaryDirectory(prefix="bench-digest-") as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'bench.db'}"
        engine = make_engine(url)
        print(f"Python {platform.python_version()}, SQLAlchemy {sqlalchemy.__version__}, "
              f"{engine.dialect.name}, {platform.platform()}")
        print(f"Digest of {MONTH}: {args.kpis} KPIs, {args.months} months of figures; seconds, "
              f"median (min-max) of {args.repeat} runs on a shared machine: expect noise.")
        results = []
        for size in sizes:
            Base.metadata.drop_all(engine)
            Base.metadata.create_all(engine)
            results.append(run_size(session_factory(engine), size, args))
        engine.dispose()
    report_results(results, engine.dialect.name)
    return 0

if __name__ == "__main__":
    sys.exit(main())
