"""Benchmark /kpi: the real bot against a bare Bolt app answering a constant, side by side.

``python bench/kpi.py [--requests 1000] [--runs 3] [--database-url URL] [--busy N]``. The bot
gets a fresh database (temporary SQLite, or a private database made on the given PostgreSQL
server, dropped after) with ``bench/engine.py``'s generated organization: 200 departments (20
parents of 9, a manager each; a leader, an admin) x 40 KPIs (sum, mean, last, %, two derived,
three headline) x 60 months of figures to 2026-10, monthly targets for the last 24 months, plans
for 2025 and 2026, limits and floors on the % KPIs, imported as a user would: CSV files through
``checkin targets import`` and ``checkin figures import`` (``bench/kpiload.py``), with no
statistics gathered but what those commands leave. ``--busy N`` keeps N more processes spinning
while measuring: the ratio must hold on a busy machine too. Each app runs in a process of its
own on waitress, as `checkin serve` does (the bot is `checkin serve --no-scheduler`), checks
signatures and talks to one Slack stand-in in this process. Each run sends each app
``--requests`` signed ``/kpi`` commands, one to each in turn (who goes first alternates), each
answer awaited before the next request: the list, ``<kpi>``, ``<kpi> <dept>``, ``<kpi> <dept>
YYYY-MM``, ``<kpi> ytd``, ``<kpi> <dept> ytd``, from the leader, the admin and managers (a few
asking for a department they may not see: a polite refusal, still one answer). ``trend`` is left
out: its chart is drawn and uploaded after the answer, another matter than this budget. Measured
per request: ack (send to HTTP response) and answer (send to the answer: the acknowledgement
itself when it carries the answer, as the bare app's always does and the bot's does when the
answer is ready in time; else the stand-in receiving the POST on that request's response_url).
Budget: our p99 under 1.5x the bare app's for both, every request answered once. Reading the
figures: Bolt (``process_before_response`` off, its default and ours) waits for ``ack()`` in a
loop of 10 ms sleeps, so answers leave on 10 ms ticks: the bare app's p50 is one tick, and an
answer whose work misses the first tick takes the second (tails near 24, 35, 46 ms).
"""

from __future__ import annotations

import argparse
import platform
import random
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for bench.*, tests.slackstandin

import sqlalchemy
from slack_bolt.version import __version__ as bolt_version
from sqlalchemy.engine import make_url

from bench.ack import database, p, ratio_table
from bench.engine import MONTH
from bench.kpiapps import SECRET, TOKEN, run_bare_server, spin, start
from bench.kpiload import ADMIN, MONTHS, load
from summaries.config.schema import Config
from tests.slackstandin import SlackDriver, SlackStandIn

LEADER = "U0CEO"
ANSWER_TIMEOUT = 10.0
RATIO_BUDGET = 1.5
FORMS: dict[str, int] = {"list": 10, "kpi": 20, "kpi dept": 25, "kpi dept month": 20,
                         "kpi ytd": 10, "kpi dept ytd": 15}  # weights, percent
MEASURES = ("ack", "answer")
Figures = dict[str, tuple[float, float]]  # measure: (p50, p99) in ms


@dataclass(frozen=True)
class Ask:
    """One /kpi request: who, the command text, its form, and whether it must be refused."""

    user: str
    text: str
    form: str
    refused: bool = False


@dataclass
class Side:
    """One app under test: its driver, this run's latencies (ms) and odd outcomes so far."""

    name: str
    driver: SlackDriver
    checks_refusals: bool  # whether its answers must refuse exactly the refusals due
    times: dict[str, list[float]] = field(default_factory=dict)
    by_form: dict[str, list[float]] = field(default_factory=dict)  # answer latencies
    # this run's response_urls, each with the POSTs due on it (0 when answered in the ack)
    urls: list[tuple[str, int]] = field(default_factory=list)
    non_200: int = 0
    missing: int = 0
    invalid: int = 0  # not ephemeral, or blocks the stand-in rejects
    extra: int = 0  # second answers on one response_url
    refused: int = 0  # answers that read as a refusal ("Sorry, ...")
    misjudged: int = 0  # a refusal where none was due, or none where one was

    def reset(self) -> None:
        """Forget the warm-up."""
        self.non_200 = self.missing = self.invalid = self.extra = 0
        self.refused = self.misjudged = 0
        self.by_form = {}


def asks(config: Config, rng: random.Random, count: int) -> list[Ask]:
    """``count`` requests of the mix: 15% the leader, 10% the admin, the rest managers."""
    kpis = [k.key for k in config.kpis]
    departments = [d.key for d in config.departments]
    mine: dict[str, list[str]] = {}
    for d in config.departments:  # a manager sees their departments and everything below
        mine[d.manager] = sorted({*mine.get(d.manager, []), *config.descendants(d.key)})
    managers = sorted(mine)
    forms, weights = list(FORMS), list(FORMS.values())
    result = []
    for _ in range(count):
        form, draw = rng.choices(forms, weights)[0], rng.random()
        user = LEADER if draw < 0.15 else ADMIN if draw < 0.25 else rng.choice(managers)
        department, refused = rng.choice(departments), False
        if user not in (LEADER, ADMIN):
            refused = "dept" in form and rng.random() < 0.08  # asks beyond their own
            if not refused:
                department = rng.choice(mine[user])
            elif department in mine[user]:
                department = next(d for d in departments if d not in mine[user])
        words = {"list": [], "kpi": [rng.choice(kpis)], "dept": [department], "ytd": ["ytd"],
                 "month": [str(MONTH.shift(-rng.randrange(MONTHS)))]}
        text = " ".join(w for part in form.split() for w in words[part])
        result.append(Ask(user, text, form, refused))
    return result


def send(target: Side, ask: Ask, standin: SlackStandIn) -> None:
    """One /kpi to ``target``: record its ack and, once it has arrived, its answer."""
    reply = target.driver.command(ask.user, "/kpi", ask.text)
    target.times["ack"].append(reply.elapsed * 1000)
    if reply.status != 200 or reply.response_url is None:
        target.non_200 += 1
        return
    in_ack = bool(reply.json and reply.json.get("text"))
    target.urls.append((reply.response_url, 0 if in_ack else 1))
    if in_ack:  # answered in the acknowledgement itself
        assert reply.json is not None
        message, ok, latency = reply.json, True, reply.elapsed * 1000
    else:
        try:
            answer = standin.wait_for_response(reply.response_url, timeout=ANSWER_TIMEOUT)[0]
        except AssertionError:
            target.missing += 1
            return
        message, ok, latency = answer.params, answer.ok, (answer.at - reply.started) * 1000
    target.invalid += not ok or message.get("response_type") != "ephemeral"
    said_no = "sorry" in str(message.get("text", "")).lower()
    target.refused += said_no
    target.misjudged += target.checks_refusals and said_no != ask.refused
    target.times["answer"].append(latency)
    target.by_form.setdefault("refused" if ask.refused else ask.form, []).append(latency)


def one_run(ours: Side, bare: Side, standin: SlackStandIn, plan: list[Ask]) -> None:
    """Send every request of ``plan`` to each app, one to each in turn."""
    for target in (ours, bare):
        target.times, target.urls = {measure: [] for measure in MEASURES}, []
    for i, ask in enumerate(plan):
        for target in (ours, bare) if i % 2 == 0 else (bare, ours):
            send(target, ask, standin)
    time.sleep(0.2)  # then count second answers, late ones included
    for target in (ours, bare):
        target.extra += sum(max(0, len(_answers(standin, url)) - expected)
                            for url, expected in target.urls)


def _answers(standin: SlackStandIn, url: str) -> list[Any]:
    try:
        return standin.wait_for_response(url, timeout=0)
    except AssertionError:  # none at all
        return []


def figures(target: Side) -> Figures:
    """(p50, p99) in ms per measure (NaN when nothing was measured)."""
    nan = float("nan")
    return {m: (p(ts, 50), p(ts, 99)) if len(ts) > 1 else (nan, nan)
            for m, ts in target.times.items()}


def serve(stack: ExitStack, standin: SlackStandIn, url: str, config_yaml: str,
          baseline_both: bool) -> tuple[Side, Side]:
    """Start the bot (or, for ``baseline_both``, a second bare app) and the bare app, each in
    a process of its own (``bench/kpiapps.py``)."""
    first = "bare(2)" if baseline_both else "ours"
    sides = [SlackDriver(start(stack, name, standin.api_url, url, config_yaml), SECRET, standin)
             for name in (first, "bare")]
    print(f"Python {platform.python_version()}, slack_bolt {bolt_version}, "
          f"SQLAlchemy {sqlalchemy.__version__}, {make_url(url).get_backend_name()}, "
          f"{platform.platform()}; each app in its own process")
    return Side(first, sides[0], not baseline_both), Side("bare", sides[1], False)


def probe(ours: Side, standin: SlackStandIn, config: Config) -> None:
    """Stop early, and say why, when the bot does not answer /kpi at all."""
    ours.times = {measure: [] for measure in MEASURES}
    send(ours, Ask(LEADER, config.kpis[0].key, "kpi"), standin)
    if ours.non_200 or ours.missing:
        raise SystemExit(f"{ours.name} did not answer /kpi (HTTP error or no answer within "
                         f"{ANSWER_TIMEOUT:.0f} s): is the command registered in "
                         "bot/listeners/commands.py?")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--requests", type=int, default=1000, help="requests per app and run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", default=None,
                        help="SQLite URL, or a PostgreSQL server to create a private database on "
                             "(default: a temporary SQLite file)")
    parser.add_argument("--busy", type=int, default=0, metavar="N",
                        help="keep N other processes spinning on the CPU while measuring")
    parser.add_argument("--loaded", action="store_true",
                        help="--database-url is a database an earlier run imported into: use "
                             "it as it is (for repeated measurements)")
    parser.add_argument("--baseline-both", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--bare-server", nargs=2, metavar=("PORT", "API_URL"),
                        help=argparse.SUPPRESS)  # the bare app's own process
    args = parser.parse_args(argv)
    if args.bare_server:
        run_bare_server(int(args.bare_server[0]), args.bare_server[1])
        return 0  # --baseline-both: the bare app on both sides (a harness check)
    if args.requests < 10 or args.runs < 1:
        parser.error("needs --requests >= 10 and --runs >= 1")
    if args.loaded and not args.database_url:
        parser.error("--loaded needs --database-url")
    with ExitStack() as stack:
        standin = stack.enter_context(SlackStandIn(token=TOKEN))
        url = args.database_url if args.loaded else stack.enter_context(
            database(args.database_url))
        folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-kpi-csv-"))
        config, text, loaded = load(url, args.seed, Path(folder), args.loaded)
        ours, bare = serve(stack, standin, url, text, args.baseline_both)
        print(loaded, flush=True)
        for _ in range(args.busy):  # other work on the machine, one core's worth each
            spin(stack)
        if args.busy:
            print(f"Busy machine: {args.busy} other processes spinning throughout.", flush=True)
        rng = random.Random(args.seed)
        probe(ours, standin, config)
        one_run(ours, bare, standin, asks(config, rng, 40))  # warm-up, not counted
        ours.reset()
        bare.reset()
        results: list[tuple[Figures, Figures]] = []
        refusals = 0
        for run in range(1, args.runs + 1):
            plan = asks(config, rng, args.requests)
            refusals += sum(ask.refused for ask in plan)
            one_run(ours, bare, standin, plan)
            results.append((figures(ours), figures(bare)))
            print(f"  run {run}: p50/p99 ms: " + "; ".join(
                f"{m} ours {results[-1][0][m][0]:.1f}/{results[-1][0][m][1]:.1f} bare "
                f"{results[-1][1][m][0]:.1f}/{results[-1][1][m][1]:.1f}" for m in MEASURES),
                flush=True)
    return report(args, ours, bare, results, refusals)


def report(args: argparse.Namespace, ours: Side, bare: Side,
           results: list[tuple[Figures, Figures]], refusals: int) -> int:
    """Print medians over runs, ratios, odd outcomes and the budget line; the exit status."""
    print(f"\n/kpi latency in ms: ack = send to HTTP response; answer = send to the answer (the "
          f"ack when it carries it, else the POST on the response_url); median of {args.runs} "
          f"runs of {args.requests} requests per app.")
    ratios = ratio_table("measure", MEASURES, results, 8)
    print(f"\n{ours.name} answer latency by form, all runs pooled:")
    for form in (*FORMS, "refused"):
        ts = ours.by_form.get(form, [])
        if len(ts) > 1:
            print(f"  {form:<16} {len(ts):>5} requests  p50 {p(ts, 50):7.1f}  p99 {p(ts, 99):7.1f}")
    for target in (ours, bare):
        print(f"{target.name}: non-200 replies {target.non_200}, missing answers "
              f"{target.missing} (none within {ANSWER_TIMEOUT:.0f} s), not ephemeral or invalid "
              f"blocks {target.invalid}, second answers {target.extra} (all must be 0)")
    print(f"Managers asking for a department they may not see: {refusals}, answered "
          f"{len(ours.by_form.get('refused', []))}; answers from {ours.name} reading as a refusal "
          f"('Sorry, ...'): {ours.refused}" + (f", {ours.misjudged} of all answers refusing "
          "where nothing was due or the other way round (must be 0)." if ours.checks_refusals
          else " (not checked on the bare app)."))
    odd = sum(t.non_200 + t.missing + t.invalid + t.extra + t.misjudged for t in (ours, bare))
    verdict = {m: ratios[m] <= RATIO_BUDGET for m in MEASURES}
    ok = all(verdict.values()) and odd == 0
    print(f"Budget: our p99 under {RATIO_BUDGET}x the bare app's: " + ", ".join(
        f"{m} {ratios[m]:.2f}x {'PASS' if verdict[m] else 'FAIL'}" for m in MEASURES)
        + (f"; {odd} failed requests" if odd else "") + f": {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
