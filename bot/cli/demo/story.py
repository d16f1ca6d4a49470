"""The demo from start to end, told as it goes: set up, history, the cycle, the files."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.bootstrap import build_deps
from bot.cli.demo.asks import answer_october, write_asks
from bot.cli.demo.cycle import (
    PERIOD,
    CycleLog,
    DemoClock,
    ask_kpi,
    load_history,
    read_answers,
    run_cycle,
)
from bot.cli.demo.offline import OfflineSlack
from bot.cli.demo.output import Written, write_outputs
from bot.settings import Settings
from summaries.config.loader import load_config
from summaries.dates import format_month
from summaries.digest.header import header_view
from summaries.digest.load import load_digest
from summaries.digest.model import Digest
from summaries.store.db import make_engine
from summaries.store.migrate import upgrade


def tell(settings: Settings, example: Path, folder: Path,
         questions: Sequence[str]) -> Iterator[str]:
    """Run the demo into ``folder``, yielding the lines to print as it goes."""
    config = load_config(settings.config_path)
    engine = make_engine(settings.database_url)
    upgrade(engine)
    clock = DemoClock(datetime.combine(PERIOD.first_day(), time(), UTC))  # moved by the cycle
    slack = OfflineSlack(clock)
    # Both clients are the offline workspace: everything goes there, the outbox's posts too.
    deps = build_deps(settings, config, engine, slack, poster=slack, clock=clock)
    try:
        org = config.organization
        yield (f"checkin demo: {org.name}, {format_month(PERIOD, org.locale)}, "
               f"with no Slack (messages go to an offline stand-in)")
        log = CycleLog()
        figures = load_history(deps, example, log)
        yield (f"\nHistory: {PERIOD.shift(-12)} to {PERIOD.previous()} imported from CSV; "
               f"{PERIOD} comes from the managers' forms (13 months in all)")
        yield from (f"  {line}" for line in log.history)
        run_cycle(deps, clock, read_answers(example), figures, log)
        zone = ZoneInfo(org.timezone)
        yield f"\nThe {PERIOD} cycle on its schedule ({org.timezone}):"
        yield from (f"  {when.astimezone(zone):%a %Y-%m-%d %H:%M}  {line}"
                    for when, line in log.events)
        leader = (org.leaders or org.admins)[0]
        clock.now += timedelta(hours=15)  # the next morning, a leader answers from the digest
        answered = answer_october(deps, leader, PERIOD)
        yield f"\nAsks answered from the digest, {clock.now.astimezone(zone):%a %Y-%m-%d %H:%M}:"
        yield from (f"  {line}" for line in answered)
        with deps.unit_of_work() as session:  # read only: the close stored the flags
            digest = load_digest(session, config, PERIOD, closed=True)
        yield f"\n{_outcome(digest)}"
        answers = [(f"/kpi {text}".strip(), ask_kpi(deps, leader, text)) for text in questions]
        written = write_outputs(deps, folder, slack.workspace, digest, answers)
        written += write_asks(deps, folder)
        yield from _listing(folder, written)
        yield from _next_steps(folder, settings)
    finally:
        deps.close()


def _outcome(digest: Digest) -> str:
    view = header_view(digest)
    return (f"Digest: {digest.submitted} of {digest.total} summaries submitted; "
            f"{len(digest.asks)} asks of leadership (and {len(digest.carried)} still waiting "
            f"from earlier months) and {len(view.problems)} red problems in its header; "
            f"{view.counts}")


def _listing(folder: Path, written: list[Written]) -> Iterator[str]:
    yield f"\nWrote {folder}{'' if str(folder).endswith('/') else '/'}:"
    width = max(len(item.path) for item in written)
    yield f"  {'checkin.yaml':<{width}}  the example configuration (every key explained)"
    yield f"  {'demo.db':<{width}}  the SQLite database: history, October's cycle, its outbox"
    yield from (f"  {item.path:<{width}}  {item.what}" for item in written)


def _next_steps(folder: Path, settings: Settings) -> Iterator[str]:
    yield "\nNext:"
    yield f"  - Open {folder / 'digest.html'} in a browser, or read {folder / 'digest.md'}."
    yield (f"  - Paste a file from {folder / 'slack'} into Slack's Block Kit Builder, "
           "https://app.slack.com/block-kit-builder, to see the message as Slack shows it.")
    yield "  - Try the commands on the demo's database:"
    yield (f"      export DATABASE_URL={settings.database_url} "
           f"CHECKIN_CONFIG={folder / 'checkin.yaml'}")
    yield f"      checkin digest --period {PERIOD}"
    yield f"      checkin export --period {PERIOD} --output {PERIOD}.xlsx"
    yield (f"  - Make it yours: edit {folder / 'checkin.yaml'}, then create the Slack app from "
           "deploy/slack-manifest.yml and run `checkin serve` (see the README).")
