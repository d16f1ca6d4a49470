"""Benchmark the leadership digest: N departments x K KPIs, from memory and from the database.

``python bench/digest.py [--sizes 50,500,1000] [--kpis 30] [--months 13] [--repeat 5]
[--database-url URL | --postgres SERVER_URL]`` (the project installed, ``pip install -e .``).
Per size a seeded organization is stored (the generator of ``bench/engine.py``, plus long
section texts), last month closed with its flags stored as its close stores them, then timed,
median of ``--repeat`` runs:

(a) from memory: ``compile_digest`` + ``header_messages`` + every ``department_messages`` +
    ``render_markdown``, from a PeriodReport evaluated beforehand;
(b) the whole path of ``checkin digest --period P --format md``, in-process, as it reads a
    month that has not changed since it was last read: the code's stamp, a read-only
    session, the input stamp, the kept rendering (``summaries.digest.stored``);
(f) the same the first time after a change (before each run one figure of the month is
    corrected, a different department's each time, as a late correction does): the code's
    stamp, ``load_digest`` (the corrected department and its parent evaluated again, the
    other departments' kept results reused; the trend, last month's problems, revisions,
    reminders, asks), ``render_markdown`` (reusing the parts of the departments the
    correction left as they were), keeping the text and the results evaluated afresh;
(c) the baseline, alternating with (b) and (f) so all see the same moments of a busy
    machine: a plain read of every row of the tables (f) reads, through the same driver, no
    conversion.

Budget: (a), (b) and (f) at 500 departments x 30 KPIs under 2 s, (b) within 2x (c), and
1,000 departments at most 2.2x the time of 500. (f)/(c) is reported beside it. The default
database is a temporary SQLite file; ``--database-url`` names another (its tables are
dropped and rebuilt: give a scratch database); ``--postgres`` names a server on which a
database is created and dropped after.
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
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for bench.engine

import sqlalchemy
from sqlalchemy import Engine, insert, select, text
from sqlalchemy.orm import Session, sessionmaker

from bench.engine import MONTH, config_text, kpi_entries, populate, stats, timed
from bot.blocks.digest import department_messages, header_messages
from summaries.checkins.evaluation import evaluate_period, load_inputs, refresh_flags
from summaries.config.loader import parse_config
from summaries.config.schema import Config
from summaries.digest.load import load_trend
from summaries.digest.model import Digest, compile_digest
from summaries.digest.render import render_markdown
from summaries.digest.stored import code_stamp, read_rendering
from summaries.engine.report import evaluate
from summaries.store.db import make_engine, session_factory
from summaries.store.models import SectionAnswer, Submission
from summaries.store.renderings import Rendering
from summaries.store.tables import Base
from tests.support.db import fresh_postgres_database

BUDGET_SECONDS = 2.0
BUDGET_RATIO = 2.0
# What the whole path reads: the catalog, figures and targets, the month's summaries, last
# month's flags, the revision trail, the asks and their history, the outbox (reminders).
TABLES = ("departments", "kpis", "periods", "figures", "targets", "submissions",
          "section_answers", "flags", "revisions", "asks", "ask_events", "outbox")
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


PACKAGES = tuple(Path(__file__).resolve().parents[1] / name for name in ("summaries", "bot"))


def markdown(digest: Digest) -> tuple[Rendering, bool]:
    return Rendering(render_markdown(digest)), True


def whole_path(factory: sessionmaker[Session], config: Config) -> int:
    """What ``checkin digest --period P --format md`` does after start-up; the text's size."""
    code = code_stamp.__wrapped__(*PACKAGES)  # as a fresh process works it out
    return len(read_rendering(factory, config, MONTH, "md", markdown, code=code).text)


def change(factory: sessionmaker[Session], turn: int) -> None:
    """A correction of one of the month's figures (the ``turn``-th of a spread of them): the
    figure, its department's parents' roll-ups and the header change, and the input stamp
    moves on."""
    with factory.begin() as session:
        ids = session.scalars(text(
            "SELECT f.id FROM figures f JOIN periods p ON p.id = f.period_id "
            "WHERE p.key = :month ORDER BY f.id"), {"month": str(MONTH)}).all()
        session.execute(text("UPDATE figures SET value = value + 1 WHERE id = :id"),
                        {"id": ids[turn * 7919 % len(ids)]})


def plain_read(engine: Engine) -> int:
    """Every row of the tables the whole path reads, through the driver: the baseline."""
    count = 0
    with engine.connect() as connection:
        cursor = connection.connection.cursor()
        for table in TABLES:
            cursor.execute(f"SELECT * FROM {table}")  # fixed names, no input
            count += len(cursor.fetchall())
        cursor.close()
    return count


def setup(factory: sessionmaker[Session], size: int, args: argparse.Namespace) -> Config:
    """Store a generated organization of ``size`` departments, with section texts, and last
    month's flags as its close stored them."""
    began = time.perf_counter()
    config = parse_config(config_text(size, kpi_entries(args.kpis)), f"bench-{size}.yaml")
    rng = random.Random(args.seed * 100_003 + size)
    with factory.begin() as session:
        populate(session, config, args.months, rng)
        add_section_texts(session, rng)
    with factory.begin() as session:
        refresh_flags(session, evaluate_period(session, config, MONTH.shift(-1), closed=True))
    print(f"  setup {size:>5} departments: {time.perf_counter() - began:6.1f} s "
          "(generate and insert; not budgeted)", flush=True)
    return config


def run_size(engine: Engine, size: int, args: argparse.Namespace) -> dict[str, Any]:
    factory = session_factory(engine)
    config = setup(factory, size, args)
    with factory() as session:
        inputs = load_inputs(session, config, MONTH)
        trend = load_trend(session, config, MONTH)
    report = evaluate(config, MONTH, inputs, closed=True)
    memory_times, payloads = timed(
        lambda: publish(compile_digest(config, report, trend)), args.repeat)
    change(factory, 0)
    whole_path(factory, config)  # warm: the first run pays for imports and the page cache
    whole_times: list[float] = []
    fresh_times: list[float] = []
    base_times: list[float] = []
    rows = 0
    for turn in range(1, args.repeat + 1):
        times, rows = timed(lambda: plain_read(engine), 1)
        base_times += times
        change(factory, turn)
        fresh_times += timed(lambda: whole_path(factory, config), 1)[0]
        whole_times += timed(lambda: whole_path(factory, config), 1)[0]
    return {"size": size, "payloads": payloads, "flags": len(report.flags), "rows": rows,
            "memory": memory_times, "whole": whole_times, "fresh": fresh_times,
            "base": base_times}


MEASURES = (("memory", "(a)"), ("whole", "(b)"), ("fresh", "(f)"), ("base", "(c)"))


def report_results(results: list[dict[str, Any]], label: str) -> None:
    print(f"\n{'depts':>6} {'rows':>7} {'flags':>6}  {'(a) memory':<21} {'(b) whole path':<21}"
          f" {'(f) after a change':<21} {'(c) plain read':<21} {'b/c':>5} {'b/c runs':<11}"
          f" {'f/c':>5} {'f/c runs':<11}")
    for r in results:
        ratios = {key: [t / b for t, b in zip(r[key], r["base"], strict=True)]
                  for key in ("whole", "fresh")}
        base = statistics.median(r["base"])
        print(f"{r['size']:>6} {r['rows']:>7} {r['flags']:>6}  {stats(r['memory']):<21} "
              f"{stats(r['whole']):<21} {stats(r['fresh']):<21} {stats(r['base']):<21} "
              + " ".join(f"{statistics.median(r[key]) / base:>5.2f} "
                         f"{min(ratios[key]):.2f}-{max(ratios[key]):<6.2f}"
                         for key in ("whole", "fresh")))
    print("(a): compile + header + department replies + Markdown from an evaluated report; "
          "(b): checkin digest --format md from the database, the month unchanged since it was "
          "last read (the kept rendering); (f): the same, the first time after a change "
          "of one figure (read-only session, load_digest reusing the unchanged departments' "
          "kept results, render_markdown reusing their parts, the text and the fresh results "
          "kept); (c): a plain read "
          "of every row of the tables (f) reads; b/c, f/c: median over median, and the range "
          "of the run-by-run ratios.")
    by_size = {r["size"]: r for r in results}
    if 500 in by_size:
        for key, name in MEASURES[:3]:
            took = statistics.median(by_size[500][key])
            verdict = "under" if took < BUDGET_SECONDS else "OVER"
            print(f"Budget {name} {label}: 500 departments {took:.3f} s, {verdict} the "
                  f"{BUDGET_SECONDS:.0f} s budget.")
        base = statistics.median(by_size[500]["base"])
        ratio = statistics.median(by_size[500]["whole"]) / base
        print(f"Budget (b)/(c) {label}: 500 departments {ratio:.2f}x the plain read, "
              f"{'under' if ratio < BUDGET_RATIO else 'OVER'} {BUDGET_RATIO:.0f}x; after a "
              f"change (f)/(c) {statistics.median(by_size[500]['fresh']) / base:.2f}x.")
    for small, large in itertools.pairwise(sorted(by_size)):
        for key, name in MEASURES:
            ratio = statistics.median(by_size[large][key]) / statistics.median(
                by_size[small][key])
            print(f"Linearity {name}: {large}/{small} departments took {ratio:.2f}x, "
                  f"{ratio / (large / small):.2f} scaled by size (1.00 = linear)")


def run_all(url: str, sizes: list[int], args: argparse.Namespace) -> None:
    engine = make_engine(url)
    print(f"Python {platform.python_version()}, SQLAlchemy {sqlalchemy.__version__}, "
          f"{engine.dialect.name}, {platform.platform()}")
    print(f"Digest of {MONTH}: {args.kpis} KPIs, {args.months} months of figures; seconds, "
          f"median (min-max) of {args.repeat} runs on a shared machine: expect noise.")
    results = []
    for size in sizes:
        Base.metadata.drop_all(engine)
        Base.metadata.create_all(engine)
        results.append(run_size(engine, size, args))
    engine.dispose()
    report_results(results, engine.dialect.name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default="50,500,1000", help="department counts, comma-separated")
    for name, default in (("--kpis", 30), ("--months", 13), ("--repeat", 5), ("--seed", 1)):
        parser.add_argument(name, type=int, default=default)
    database_options(parser)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.kpis < 7 or args.months < 13 or args.repeat < 1 or min(sizes) < 1:
        parser.error("needs --kpis >= 7, --months >= 13, --repeat >= 1 and sizes >= 1")
    in_database(args, "bench-digest-", lambda url: run_all(url, sizes, args))
    return 0


def database_options(parser: argparse.ArgumentParser) -> None:
    """``--database-url`` or ``--postgres``; neither: a temporary SQLite file."""
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--database-url", default=None,
                       help="a scratch database (default: a temporary SQLite file)")
    where.add_argument("--postgres", default=None,
                       help="a PostgreSQL server URL: a database is created there and dropped")


def in_database(args: argparse.Namespace, prefix: str, work: Callable[[str], None]) -> None:
    """Do ``work`` with the URL of the database :func:`database_options` chose."""
    if args.postgres:
        with fresh_postgres_database(args.postgres) as url:
            work(url)
        return
    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        work(args.database_url or f"sqlite:///{Path(folder) / 'bench.db'}")


if __name__ == "__main__":
    sys.exit(main())
