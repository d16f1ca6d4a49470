"""Benchmark opening a cycle for many managers against a Slack stand-in that enforces its limits.

``python bench/fanout.py [--managers 2000] [--per-minute 2400] [--runs 3] [--database-url URL]``.
The stand-in enforces chat.postMessage's workspace limit (``--per-minute``, a token bucket
allowing a burst of ten) and its one-per-second-per-channel limit, answering 429 with
Retry-After past them; the bot is given the same rates as settings. Slack's real workspace
ceiling is a few hundred a minute, so the default scales it eightfold to finish in about a
minute: the ratio is what counts. Each run opens 2026-10 on a fresh database and prints the
elapsed time, the fastest the limits allow ((managers - burst) / rate), their ratio (goal:
within 10%), and the prompts sent, duplicates and losses (goal: all, 0, 0).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from collections import Counter
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.*

from bench.ack import database
from bot.bootstrap import build_deps
from bot.cycle.steps import open_period
from bot.settings import Settings
from summaries.config.loader import parse_config
from summaries.periods import Month
from summaries.store.catalog import sync_config
from summaries.store.db import make_engine, session_factory, unit_of_work
from summaries.store.tables import Base
from tests.slackstandin import SlackStandIn, dm_channel
from tests.support.botkit import TOKEN
from tests.support.orgkit import manager, many_departments_text

MONTH = Month(2026, 10)
BURST = 10  # Slack allows short bursts; jitter on loopback needs a few


def one_run(managers: int, per_minute: float, url: str) -> tuple[float, int, int, int, int]:
    """Open the cycle once; return (elapsed s, sent, duplicates, losses, 429s)."""
    config = parse_config(many_departments_text(managers))
    with SlackStandIn(token=TOKEN) as standin, ExitStack() as stack:
        standin.limit("chat.postMessage", per_minute=per_minute, burst=BURST)
        standin.limit_per_channel("chat.postMessage", per_second=1.0)
        engine = make_engine(url)
        stack.callback(engine.dispose)
        Base.metadata.drop_all(engine)
        Base.metadata.create_all(engine)
        with unit_of_work(session_factory(engine)) as session:
            sync_config(session, config)
        settings = Settings(database_url=url, slack_api_url=standin.api_url,
                            slack_bot_token=TOKEN, rate_post_per_minute=per_minute)
        deps = build_deps(settings, config, engine)
        stack.callback(deps.executor.shutdown)
        started = time.perf_counter()
        report = open_period(deps, MONTH)
        elapsed = time.perf_counter() - started
        per_channel = Counter(m["channel"] for m in standin.messages() if not m.get("thread_ts"))
        wanted = {dm_channel(manager(n)) for n in range(managers)}
        duplicates = sum(n - 1 for n in per_channel.values() if n > 1)
        losses = len(wanted - set(per_channel))
        if not report.ok:
            print(f"  not delivered: {len(report.failed)}", file=sys.stderr)
        return elapsed, len(per_channel), duplicates, losses, standin.rate_limited_count()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--managers", type=int, default=2000)
    parser.add_argument("--per-minute", type=float, default=2400.0,
                        help="chat.postMessage workspace limit on both sides (Slack: ~300)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url", default=None,
                        help="SQLite URL, or a PostgreSQL server to create a private database on "
                             "(default: a temporary SQLite file)")
    args = parser.parse_args(argv)
    if args.managers < 2 or args.runs < 1 or args.per_minute <= 0:
        parser.error("needs --managers >= 2, --runs >= 1 and --per-minute > 0")
    fastest = (args.managers - BURST) / (args.per_minute / 60)
    print(f"Python {platform.python_version()}, {platform.platform()}; {args.managers} managers,"
          f" chat.postMessage limited to {args.per_minute:g}/min (burst {BURST}) and 1/s per "
          f"channel; fastest the limits allow: {fastest:.1f} s")
    ratios: list[float] = []
    elapsed: list[float] = []
    with database(args.database_url) as url:
        for run in range(1, args.runs + 1):
            seconds, sent, duplicates, losses, limited = one_run(args.managers, args.per_minute,
                                                                 url)
            elapsed.append(seconds)
            ratios.append(seconds / fastest)
            print(f"  run {run}: {seconds:6.1f} s, ratio {seconds / fastest:.3f}; prompts sent "
                  f"{sent}, duplicates {duplicates}, losses {losses}; 429s {limited}",
                  flush=True)
    print(f"\nmedian of {args.runs}: elapsed {statistics.median(elapsed):.1f} s against "
          f"{fastest:.1f} s the limits allow: ratio {statistics.median(ratios):.3f} "
          f"(goal: under 1.10)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
