"""Benchmark Slack acknowledgement latency: the real bot against a bare Bolt app, side by side.

``python bench/ack.py [--requests 300] [--runs 5] [--database-url URL]``. Both apps run on
waitress on loopback in this process, check signatures and talk to one Slack stand-in; the bot
gets a fresh database (temporary SQLite, or a private database created on the given PostgreSQL
server and dropped after) with the sample organization and 2026-10 open. Each run sends each app
``--requests`` signed requests, one to each in turn: ``checkin_open`` clicks and submissions of a
filled-in form, alternately, over the five departments, with the double-click check never
tripping. Latency is send to HTTP response (the ack). Budget: our p99 under 3x the bare app's.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field, fields
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.slackstandin

import sqlalchemy
from slack_bolt import Ack, App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.version import __version__ as bolt_version
from slack_sdk import WebClient

from bot.app import create_app
from bot.bootstrap import build_deps
from bot.cycle.steps import open_period
from bot.deps import Deps
from bot.ids import CALLBACK_ID, OPEN_ACTION, open_value
from bot.server import EVENTS_PATH, make_wsgi, start_server
from bot.settings import Settings
from summaries.config.loader import load_config
from summaries.periods import Month
from summaries.store.catalog import sync_config
from summaries.store.db import make_engine, session_factory, unit_of_work
from summaries.store.tables import Base
from tests.slackstandin import Reply, SlackDriver, SlackStandIn, dm_channel, latest_view
from tests.support.botkit import Clock
from tests.support.db import fresh_postgres_database

ROOT = Path(__file__).resolve().parents[1]
MONTH = Month(2026, 10)
SECRET = "bench-signing-secret"
TOKEN = "xoxb-test"
CLICK_STEP = timedelta(seconds=4)  # past the bot's 3 s double-click window
KINDS = ("block_actions", "view_submission")
RATIO_BUDGET = 3.0
SLACK_LIMIT_MS = 3000.0


@dataclass
class Form:
    """One department's prompt and the filled-in modal its manager submits."""

    user: str
    value: str
    message_ts: str
    view: dict[str, Any] = field(default_factory=dict)
    values: dict[str, str | None] = field(default_factory=dict)


@dataclass
class Target:
    """One app under test: its driver, latencies (ms) by kind, and odd replies."""

    name: str
    driver: SlackDriver
    times: dict[str, list[float]] = field(default_factory=dict)
    non_200: int = 0
    refused: int = 0


@contextmanager
def database(url: str | None) -> Iterator[str]:
    """A fresh database URL: a temporary SQLite file, or a private PostgreSQL database."""
    if url is None:
        with tempfile.TemporaryDirectory(prefix="bench-ack-") as folder:
            yield f"sqlite:///{Path(folder) / 'bench.db'}"
    elif url.startswith("postgresql"):
        with fresh_postgres_database(url) as private:
            yield private
    else:
        yield url


def bare_app(standin: SlackStandIn) -> App:
    """The baseline: a Bolt app that acknowledges the same two requests and does nothing."""
    app = App(client=WebClient(token=TOKEN, base_url=standin.api_url), signing_secret=SECRET,
              token_verification_enabled=False)

    @app.action(OPEN_ACTION)
    def on_open(ack: Ack) -> None:
        ack()

    @app.view(CALLBACK_ID)
    def on_submit(ack: Ack) -> None:
        ack()

    return app


def filled(view: dict[str, Any]) -> dict[str, str | None]:
    """Valid values for every input of a check-in modal: text for sections, 50 for KPIs."""
    values: dict[str, str | None] = {}
    for block in view["blocks"]:
        block_id = str(block.get("block_id", ""))
        if block.get("type") == "input" and block_id.startswith("section:"):
            values[block_id] = "A steady month; nothing unusual to report."
        elif block.get("type") == "input" and block_id.startswith("kpi:"):
            values[block_id] = "50"
    return values


def send(target: Target, kind: str, form: Form) -> Reply:
    if kind == "block_actions":
        return target.driver.block_action(form.user, OPEN_ACTION, form.value,
                                          message_ts=form.message_ts)
    return target.driver.view_submission(form.user, form.view, form.values)


def prepare_forms(deps: Deps, ours: Target, standin: SlackStandIn, clock: Clock) -> list[Form]:
    """Find each manager's prompt, open its form through the bot and fill it in."""
    forms = []
    for department in deps.config.departments:
        user, value = department.manager, open_value(str(MONTH), department.key)
        prompt = next(m for m in standin.messages(dm_channel(user)) if not m.get("thread_ts")
                      and value in str(m.get("blocks")))
        form = Form(user, value, prompt["ts"])
        before = len(standin.ok_calls("views.open"))
        clock.now += CLICK_STEP
        assert send(ours, "block_actions", form).status == 200
        standin.wait_for("views.open", before + 1)
        form.view = latest_view(standin, user)
        form.values = filled(form.view)
        forms.append(form)
    return forms


def one_run(forms: list[Form], ours: Target, bare: Target, clock: Clock,
            standin: SlackStandIn, requests: int) -> tuple[int, int]:
    """Send ``requests`` of each app, one to each in turn; (clicks sent, forms opened)."""
    for target in (ours, bare):
        target.times = {kind: [] for kind in KINDS}
    opened_before, clicks = len(standin.ok_calls("views.open")), 0
    for i in range(requests):
        kind, form = KINDS[i % 2], forms[(i // 2) % len(forms)]
        for target in (ours, bare) if i % 4 < 2 else (bare, ours):  # both go first equally
            if target is ours and kind == "block_actions":
                clock.now += CLICK_STEP
                clicks += 1
            reply = send(target, kind, form)
            target.times[kind].append(reply.elapsed * 1000)
            target.non_200 += reply.status != 200
            target.refused += kind == "view_submission" and bool(reply.body)
    with suppress(AssertionError):  # let the clicks' forms finish opening before the next run
        standin.wait_for("views.open", opened_before + clicks, timeout=5)
    return clicks, len(standin.ok_calls("views.open")) - opened_before


def p(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def figures(target: Target) -> dict[str, tuple[float, float]]:
    """(p50, p99) in ms per kind and overall."""
    groups = {**target.times, "all": [t for ts in target.times.values() for t in ts]}
    return {kind: (p(ts, 50), p(ts, 99)) for kind, ts in groups.items()}


Percentiles = dict[str, tuple[float, float]]  # (p50, p99) in ms by row


def ratio_table(label: str, rows: tuple[str, ...],
                results: list[tuple[Percentiles, Percentiles]], width: int) -> dict[str, float]:
    """Print medians over runs of ours and the bare app's p50 and p99 per row, with the median
    p99 ratio and its range; return the ratios."""
    print(f"{label:<{width}} {'ours p50':>8} {'ours p99':>8} {'bare p50':>8} {'bare p99':>8} "
          f"{'p99 ours/bare':>13} {'(min-max)':>11}")
    ratios: dict[str, float] = {}
    for row in rows:
        cells = [statistics.median(r[side][row][i] for r in results)
                 for side in (0, 1) for i in (0, 1)]
        per_run = [r[0][row][1] / r[1][row][1] for r in results]
        ratios[row] = statistics.median(per_run)
        print(f"{row:<{width}} " + " ".join(f"{c:8.1f}" for c in cells)
              + f" {ratios[row]:13.2f} ({min(per_run):.2f}-{max(per_run):.2f})")
    return ratios


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--requests", type=int, default=300, help="requests per app and run")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url", default=None,
                        help="SQLite URL, or a PostgreSQL server to create a private database on "
                             "(default: a temporary SQLite file)")
    args = parser.parse_args(argv)
    if args.requests < 10 or args.runs < 1:
        parser.error("needs --requests >= 10 and --runs >= 1")
    with ExitStack() as stack:
        standin = stack.enter_context(SlackStandIn(token=TOKEN))
        url = stack.enter_context(database(args.database_url))
        engine = make_engine(url)
        stack.callback(engine.dispose)
        Base.metadata.create_all(engine)
        config = load_config(ROOT / "tests" / "data" / "checkin.yaml")
        with unit_of_work(session_factory(engine)) as session:
            sync_config(session, config)
        settings = Settings(database_url=url, slack_api_url=standin.api_url,
                            slack_bot_token=TOKEN, slack_signing_secret=SECRET)
        clock = Clock()
        # A double click is judged on the bot's clock (moved 4 s a click), or, where Deps has a
        # real-time ``double_click`` window, on a 1 ms one: the check still runs, never trips.
        tiny: dict[str, Any] = {"double_click": 0.001}
        if "double_click" not in {f.name for f in fields(Deps)}:
            tiny = {}
        deps = build_deps(settings, config, engine, clock=clock, **tiny)
        stack.callback(deps.executor.shutdown)
        server = start_server(make_wsgi(create_app(deps), deps))
        stack.callback(server.stop)
        baseline = start_server(SlackRequestHandler(bare_app(standin), path=EVENTS_PATH))
        stack.callback(baseline.stop)
        print(f"Python {platform.python_version()}, slack_bolt {bolt_version}, "
              f"SQLAlchemy {sqlalchemy.__version__}, {engine.dialect.name}, "
              f"{platform.platform()}")
        report = open_period(deps, MONTH)
        if not report.ok:
            raise SystemExit(f"opening {MONTH} failed: {report.failed}")
        ours = Target("ours", SlackDriver(f"{server.url}{EVENTS_PATH}", SECRET, standin))
        bare = Target("bare", SlackDriver(f"{baseline.url}{EVENTS_PATH}", SECRET, standin))
        forms = prepare_forms(deps, ours, standin, clock)
        one_run(forms, ours, bare, clock, standin, 4 * len(forms))  # warm-up, not counted
        ours.non_200 = bare.non_200 = ours.refused = bare.refused = 0
        results: list[tuple[dict[str, tuple[float, float]], dict[str, tuple[float, float]]]] = []
        opened = clicked = 0
        for run in range(1, args.runs + 1):
            clicks, forms_opened = one_run(forms, ours, bare, clock, standin, args.requests)
            clicked, opened = clicked + clicks, opened + forms_opened
            results.append((figures(ours), figures(bare)))
            mine, theirs = results[-1]
            print(f"  run {run}: p99 ours {mine['all'][1]:6.1f} ms, bare {theirs['all'][1]:6.1f}"
                  f" ms; forms opened {forms_opened}/{clicks} clicks", flush=True)
    print(f"\nAcknowledgement latency in ms, send to HTTP response; median of {args.runs} runs of "
          f"{args.requests} requests per app (half clicks, half submissions).")
    ratios = ratio_table("kind", (*KINDS, "all"), results, 16)
    ours_p99 = statistics.median(r[0]["all"][1] for r in results)
    print(f"\nNon-200 replies: ours {ours.non_200}, bare {bare.non_200} (must be 0). "
          f"Submissions our bot refused: {ours.refused}.")
    print(f"Clicks that opened a form: {opened} of {clicked} "
          f"({1 - opened / max(clicked, 1):.0%} took the double-click path or failed).")
    ok = ratios["all"] <= RATIO_BUDGET and ours.non_200 == bare.non_200 == 0
    print(f"Budget: our p99 {ours_p99:.1f} ms is {ratios['all']:.2f}x the bare app's (limit "
          f"{RATIO_BUDGET:.0f}x) and {ours_p99 / SLACK_LIMIT_MS:.1%} of Slack's 3 s limit: "
          f"{'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
