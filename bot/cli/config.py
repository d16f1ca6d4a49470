"""``checkin config check``: validate the configuration file."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from bot.cli.base import EXIT_OK
from bot.settings import Settings
from summaries.i18n import _, ngettext

if TYPE_CHECKING:
    from summaries.config.schema import Config
    from summaries.errors import Problem
    from summaries.store.rename import Held


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``config`` command group."""
    config = commands.add_parser("config", help=_("work with the configuration file"))
    config_sub = config.add_subparsers(dest="action", metavar="ACTION", required=True)
    check = config_sub.add_parser("check",
                                  help=_("validate the configuration; exit 2 if invalid"))
    check.add_argument("--config", dest="sub_config", help=_("configuration file"))
    check.set_defaults(handler=run_check)


def run_check(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli.base import load_configuration

    config = load_configuration(settings)
    print(_("{path}: OK: {departments}, {kpis}, {sections}, {targets}",
            path=settings.config_path,
            departments=ngettext("{n} department", "{n} departments", len(config.departments)),
            kpis=ngettext("{n} KPI", "{n} KPIs", len(config.kpis)),
            sections=ngettext("{n} section", "{n} sections", len(config.sections)),
            targets=ngettext("{n} target", "{n} targets", len(config.targets))))
    for line in stored_warnings(settings, config):
        print(line)
    return EXIT_OK


def stored_warnings(settings: Settings, config: Config) -> list[str]:
    """One line per key the database holds data for and the file no longer names, and one per
    department whose stored history begins after the organization's while the file gives it
    no ``from`` (SPEC 4.2); nothing when there is no database yet, or it cannot be read."""
    from datetime import UTC, datetime
    from pathlib import Path

    from sqlalchemy.engine import make_url

    from summaries.periods import this_month
    from summaries.store.db import database_url, make_engine, read_only, session_factory
    from summaries.store.history import first_months
    from summaries.store.migrate import current_revision, head_revision
    from summaries.store.rename import orphans

    url = make_url(database_url(settings.database_url))
    if url.get_backend_name() == "sqlite" and not (url.database and Path(url.database).is_file()):
        return []  # no database yet: nothing stored to warn about
    engine = make_engine(url.render_as_string(hide_password=False))
    today = this_month(datetime.now(UTC), config.organization.timezone)
    try:
        if current_revision(engine) != head_revision():
            return []
        with read_only(session_factory(engine)) as session:
            found = orphans(session, config)
            first = first_months(session, str(today))
    except Exception:  # a check of the file must not fail for want of a database
        return []
    finally:
        engine.dispose()
    lines = [_orphan_line(h) for h in found]
    return lines + [_("warning: {problem}", problem=problem)
                    for problem in _history(settings, config, first)]


def _orphan_line(held: Held) -> str:
    from bot.cli.rename import held_words

    if held.kind == "kpi":
        return _("warning: stored data for the kpi {key}, which the configuration no longer "
                 "has: {what} (after renaming it: `checkin rename kpi {name} NEW`)",
                 key=repr(held.key), name=held.key, what=held_words(held))
    return _("warning: stored data for the department {key}, which the configuration no "
             "longer has: {what} (after renaming it: `checkin rename department {name} NEW`)",
             key=repr(held.key), name=held.key, what=held_words(held))


def _history(settings: Settings, config: Config, first: dict[str, str]) -> list[Problem]:
    """:func:`summaries.config.checks.history_warnings`, at the lines of the file checked."""
    from pathlib import Path

    from summaries.config.checks import history_warnings
    from summaries.config.yamlsource import LineMap, load_yaml

    try:
        _data, lines = load_yaml(Path(settings.config_path).read_text(encoding="utf-8-sig"),
                             config.source)
    except Exception:  # read a moment ago; should it have gone since, the warnings say line 1
        lines = LineMap()
    return history_warnings(config, lines, first)
