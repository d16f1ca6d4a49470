"""``checkin demo``: the whole product on the example organization, with no Slack and no set-up.

It writes a local SQLite file with 13 months of history, runs October 2026's cycle on its
schedule against an offline Slack (prompts, forms filled in, reminders, confirmations, the
close and its digest), and leaves the digest and every message in a folder to look at.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from bot.cli.demo.folder import DATABASE
from bot.settings import Settings
from summaries.i18n import _

FOLDER = "checkin-demo"
LOCALES = ("en", "zh")  # the languages the example is written in (bot.cli.demo.script)


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``demo`` command."""
    demo = commands.add_parser(
        "demo", help=_("see what the bot does, without Slack: an example organization, 13 "
                       "months of history and one full cycle, written to a folder"))
    demo.add_argument("--output", default=FOLDER,
                      help=_("folder to write (default: {folder}; an earlier demo's unchanged "
                             "files are replaced, nothing else is touched)", folder=FOLDER))
    demo.add_argument("--locale", dest="demo_locale", choices=LOCALES, default="en",
                      help=_("the example's language, and the demo's: en (default) or zh "
                             "(a Chinese telecom branch)"))
    demo.set_defaults(handler=run_demo)


def run_demo(args: argparse.Namespace, settings: Settings) -> int:
    """Build the demo in ``--output`` and say what is there and what to do next."""
    from bot.cli.base import CommandError
    from bot.cli.demo.folder import FolderProblem, prepare, record
    from bot.cli.demo.script import script_for

    folder = Path(args.output)
    try:
        prepare(folder)
    except FolderProblem as problem:
        raise CommandError(str(problem)) from None
    script = script_for(args.demo_locale)
    shutil.copyfile(script.folder / "checkin.yaml", folder / "checkin.yaml")
    demo_settings = Settings(
        database_url=f"sqlite:///{folder / DATABASE}", config_path=str(folder / "checkin.yaml"),
        log_level=settings.log_level, slack_bot_token="xoxb-offline",
        slack_signing_secret="offline", retry_backoff=0.01,
        # Nothing is rate-limited offline: the outbox may send as fast as it likes.
        rate_post_per_minute=1e6, rate_channel_per_second=1e6, rate_tier2_per_minute=1e6,
        rate_tier3_per_minute=1e6, rate_tier4_per_minute=1e6)
    from bot.cli.base import silence_stdout
    from bot.cli.demo.story import tell

    try:
        for line in tell(demo_settings, script, folder):
            try:
                print(line, flush=True)
            except BrokenPipeError:  # nobody reads any more (`| head`): finish the files anyway
                silence_stdout()
    finally:
        record(folder)  # even a run cut short leaves its files removable by the next one
    return 0
