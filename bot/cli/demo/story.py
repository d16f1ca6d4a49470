"""The demo from start to end, told as it goes: set up, history, the cycle, the files."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

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
from bot.cli.demo.script import Script
from bot.cli.shown import shown_month, shown_zone
from bot.settings import Settings
from summaries.config.loader import load_config
from summaries.dates import format_month
from summaries.digest.header import header_view
from summaries.digest.load import load_digest
from summaries.digest.model import Digest
from summaries.formatting import babel_locale
from summaries.i18n import _, ngettext, pgettext
from summaries.store.db import make_engine
from summaries.store.migrate import upgrade


def tell(settings: Settings, script: Script, folder: Path) -> Iterator[str]:
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
        period = shown_month(PERIOD, org.locale)
        yield _("checkin demo: {organization}, {month}, with no Slack (messages go to an "
                "offline stand-in)", organization=org.name,
                month=format_month(PERIOD, org.locale))
        log = CycleLog()
        figures = load_history(deps, script, log)
        # Translators: {first:words} writes a month as a reader does (2025年10月), {first} as
        # code (2025-10); the same for departments and zones (see bot/cli/shown.py).
        yield "\n" + _("History: {first} to {last} imported from CSV; {period} comes from the "
                       "managers' forms (13 months in all)",
                       first=shown_month(PERIOD.shift(-12), org.locale),
                       last=shown_month(PERIOD.previous(), org.locale), period=period)
        yield from (f"  {line}" for line in log.history)
        run_cycle(deps, script, clock, read_answers(script.folder), figures, log)
        zone = ZoneInfo(org.timezone)
        yield "\n" + _("The {period} cycle on its schedule ({zone}):", period=period,
                       zone=shown_zone(org.timezone, org.locale, clock.now))
        yield from (f"  {_moment(when, zone, org.locale)}  {line}" for when, line in log.events)
        leader = (org.leaders or org.admins)[0]
        clock.now += timedelta(hours=15)  # the next morning, a leader answers from the digest
        answered = answer_october(deps, script, leader, PERIOD)
        yield "\n" + _("Asks answered from the digest, {moment}:",
                       moment=_moment(clock.now, zone, org.locale))
        yield from (f"  {line}" for line in answered)
        with deps.unit_of_work() as session:  # read only: the close stored the flags
            digest = load_digest(session, config, PERIOD, closed=True)
        yield f"\n{_outcome(digest)}"
        answers = [(f"/kpi {text}".strip(), ask_kpi(deps, leader, text))
                   for text in script.questions]
        written = write_outputs(deps, folder, slack.workspace, digest, answers)
        written += write_asks(deps, folder)
        yield from _listing(folder, written)
        yield from _next_steps(folder, settings)
    finally:
        deps.close()


def _moment(when: datetime, zone: ZoneInfo, locale: str) -> str:
    """A moment of the cycle, in the organization's time zone: ``Fri 2026-10-30 09:00``."""
    # Translators: a CLDR date pattern (EEE: the day of the week); keep every field.
    pattern = pgettext("demo timeline", "EEE yyyy-MM-dd HH:mm")
    return format_datetime(when, pattern, tzinfo=zone, locale=babel_locale(locale))


def _outcome(digest: Digest) -> str:
    view = header_view(digest)
    return _("Digest: {submitted} of {total} summaries submitted; {asks} (and {carried} still "
             "waiting from earlier months) and {problems} in its header; {counts}",
             submitted=digest.submitted, total=digest.total,
             asks=ngettext("{n} ask of leadership", "{n} asks of leadership",
                           len(digest.asks)),
             carried=len(digest.carried),
             problems=ngettext("{n} red problem", "{n} red problems", len(view.problems)),
             counts=view.counts)


def _listing(folder: Path, written: list[Written]) -> Iterator[str]:
    shown = str(folder) if str(folder).endswith("/") else f"{folder}/"
    yield "\n" + _("Wrote {folder}:", folder=shown)
    width = max(len(item.path) for item in written)
    yield f"  {'checkin.yaml':<{width}}  " + _("the example configuration (every key explained)")
    yield f"  {'demo.db':<{width}}  " + _("the SQLite database: history, October's cycle, its "
                                          "outbox")
    yield from (f"  {item.path:<{width}}  {item.what}" for item in written)


def _next_steps(folder: Path, settings: Settings) -> Iterator[str]:
    yield "\n" + _("Next:")
    yield "  - " + _("Open {page} in a browser, or read {markdown}.",
                     page=folder / "digest.html", markdown=folder / "digest.md")
    yield "  - " + _("Paste a file from {folder} into Slack's Block Kit Builder, {url}, to see "
                     "the message as Slack shows it.", folder=folder / "slack",
                     url="https://app.slack.com/block-kit-builder")
    yield "  - " + _("Try the commands on the demo's database:")
    yield _typed("export", f"DATABASE_URL={settings.database_url}",
                 f"CHECKIN_CONFIG={folder / 'checkin.yaml'}")
    yield _typed("checkin", "digest", "--period", str(PERIOD))
    yield _typed("checkin", "export", "--period", str(PERIOD), "--output", f"{PERIOD}.xlsx")
    yield "  - " + _("Make it yours: edit {file}, then create the Slack app from {manifest} and "
                     "run `checkin serve` (see the README).", file=folder / "checkin.yaml",
                     manifest="deploy/slack-manifest.yml")


def _typed(*words: str) -> str:
    """A command line to type, as the printout shows it (the same in every language)."""
    return "      " + " ".join(words)
