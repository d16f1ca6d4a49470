"""Benchmark what a correction of a posted month costs the bot: updating the posted digest.

``python bench/correction.py [--size 500] [--corrected 1,10,50] [--kpis 30] [--months 13]
[--repeat 5] [--burst 10] [--database-url URL | --postgres SERVER_URL]`` (the project
installed). The organization of ``bench/digest.py`` is stored, its month's digest marked as
posted (a sent header and one sent reply per department in the outbox, as the close leaves
them), then, median of ``--repeat`` runs, for each count N of corrected departments:

(1) ``refresh_digest`` for the N departments at once, as a late summary (N = 1) or an import
    correcting N departments now updates the digest: the month read and evaluated once, the
    header's and the N replies' updates queued in the outbox;
(n) the same done department by department, as an import did before: N reads of the month,
    N updates of the header;
(c) the baseline, alternating with both: the plain read of every row of ``bench/digest.py``.

Then a burst of ``--burst`` late summaries (default 10) arriving together, until every update
is queued: (g) each asked for with ``update_digest``, as the bot now does (on the worker pool,
one update of the month at a time, what arrives meanwhile gathered into the next); (5) each
running ``refresh_digest`` on one of five threads, as the bot did on Bolt's five listener
threads; with the number of times the month was read.

Nothing is sent (the updates wait in the outbox); the rows a run queued are removed before
the next. (n) is measured only up to ``--sequential-limit`` departments (default 10) and
scaled beyond, since it is linear by construction.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for bench.*

from sqlalchemy import Engine, delete, insert, select

import bot.cycle.refreshing as refreshing
from bench.digest import database_options, in_database, plain_read, setup
from bench.engine import MONTH, stats, timed
from bot.bootstrap import build_deps
from bot.cycle.closing import header_key, reply_key
from bot.cycle.refreshing import refresh_digest, update_digest
from bot.deps import Deps
from bot.outbox.delivery import DeliveryReport
from bot.settings import Settings
from summaries.config.schema import Config
from summaries.store.db import make_engine, session_factory
from summaries.store.infra import OutboxMessage, OutboxState
from summaries.store.tables import Base

CHANNEL_ID = "C0LEADERS"


def mark_posted(engine: Engine, config: Config) -> None:
    """The outbox as the close leaves it: the header and every department's reply sent."""
    period = str(MONTH)
    channel = config.organization.leadership_channel
    rows = [{"key": header_key(period, channel), "kind": "digest", "period_key": period,
             "recipient": channel, "payload": {}, "state": OutboxState.SENT,
             "slack_channel": CHANNEL_ID, "slack_ts": "1767000000.000100"}]
    rows += [{"key": reply_key(period, d.key, channel), "kind": "digest", "period_key": period,
              "department_key": d.key, "recipient": channel, "payload": {},
              "state": OutboxState.SENT, "slack_channel": CHANNEL_ID,
              "slack_ts": f"1767000000.{n + 200:06d}"}
             for n, d in enumerate(config.departments)]
    with engine.begin() as connection:
        connection.execute(insert(OutboxMessage), rows)


def queued(engine: Engine) -> int:
    """Remove what a run queued (nothing was sent); how many rows that was."""
    with engine.begin() as connection:
        count = len(connection.execute(select(OutboxMessage.id).where(
            OutboxMessage.state != OutboxState.SENT)).all())
        connection.execute(delete(OutboxMessage).where(OutboxMessage.state != OutboxState.SENT))
    return count


def at_once(deps: Deps, departments: list[str]) -> int:
    refresh_digest(deps, str(MONTH), *departments, deliver_now=False)
    return len(departments)


def one_by_one(deps: Deps, departments: list[str]) -> int:
    for department in departments:
        refresh_digest(deps, str(MONTH), department, deliver_now=False)
    return len(departments)


class Reads:
    """Counts the reads of the month the updates make."""

    def __init__(self) -> None:
        self.count = 0
        self._load = refreshing.load_digest

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.count += 1
        return self._load(*args, **kwargs)


def gathered(deps: Deps, departments: list[str]) -> int:
    for department in departments:
        update_digest(deps, str(MONTH), department)
    assert deps.updates.wait(600)
    return len(departments)


def five_threads(deps: Deps, departments: list[str]) -> int:
    with ThreadPoolExecutor(5) as listeners:
        for found in [listeners.submit(refresh_digest, deps, str(MONTH), d)
                      for d in departments]:
            found.result()
    return len(departments)


def burst(engine: Engine, deps: Deps, keys: list[str], args: argparse.Namespace) -> None:
    reads = Reads()
    refreshing.load_digest = reads  # type: ignore[assignment]
    refreshing.deliver = lambda deps, keys=None: DeliveryReport()  # nothing is sent
    chosen = keys[-args.burst:]
    ways: dict[str, Callable[[Deps, list[str]], int]] = {"(g) gathered": gathered,
                                                          "(5) five threads": five_threads}
    for name, way in ways.items():
        times: list[float] = []
        counts: list[int] = []
        for _ in range(args.repeat):
            reads.count = 0
            times += timed(partial(way, deps, chosen), 1)[0]
            counts.append(reads.count)
            queued(engine)
        print(f"  burst of {len(chosen)}: {name} {stats(times)}, the month read "
              f"{min(counts)}-{max(counts)} times", flush=True)


def run(url: str, args: argparse.Namespace) -> None:
    engine = make_engine(url)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    factory = session_factory(engine)
    config = setup(factory, args.size, args)
    mark_posted(engine, config)
    deps = build_deps(Settings(database_url=url), config, engine, workers=1)
    keys = [d.key for d in config.departments if d.parent_key is not None]  # leaves first
    keys += [d.key for d in config.departments if d.parent_key is None]
    counts = [int(c) for c in args.corrected.split(",")]
    print(f"{engine.dialect.name}: {args.size} departments x {args.kpis} KPIs; seconds, "
          f"median (min-max) of {args.repeat} runs")
    at_once(deps, keys[:1])  # warm: imports, the page cache
    queued(engine)
    try:
        for count in counts:
            chosen = keys[:count]
            once: list[float] = []
            each: list[float] = []
            base: list[float] = []
            sequential = min(count, args.sequential_limit)
            for _ in range(args.repeat):
                base += timed(lambda: plain_read(engine), 1)[0]
                once += timed(partial(at_once, deps, chosen), 1)[0]
                rows = queued(engine)
                each += [t * count / sequential for t in
                         timed(partial(one_by_one, deps, chosen[:sequential]), 1)[0]]
                queued(engine)
            ratio = statistics.median(once) / statistics.median(base)
            scaled = "" if sequential == count else f" (scaled from {sequential})"
            print(f"  N={count:>4}: (1) at once {stats(once)} ({rows} rows queued), "
                  f"{ratio:.2f}x (c); (n) one by one {stats(each)}{scaled}; "
                  f"(c) {stats(base)}; (n)/(1) "
                  f"{statistics.median(each) / statistics.median(once):.1f}x", flush=True)
        if args.burst:
            burst(engine, deps, keys, args)
    finally:
        deps.listeners.shutdown(wait=False)
        deps.executor.shutdown(wait=False)
        deps.charts.stop()
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--corrected", default="1,10,50",
                        help="how many departments a correction names, comma-separated")
    for name, default in (("--size", 500), ("--kpis", 30), ("--months", 13), ("--repeat", 5),
                          ("--seed", 1), ("--sequential-limit", 10), ("--burst", 10)):
        parser.add_argument(name, type=int, default=default)
    database_options(parser)
    args = parser.parse_args(argv)
    in_database(args, "bench-correction-", lambda url: run(url, args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
