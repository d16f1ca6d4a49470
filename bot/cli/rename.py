"""``checkin rename kpi|department OLD NEW [--dry-run]``: move stored data to a renamed key."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from bot.cli.base import EXIT_OK, CommandError
from bot.settings import Settings
from summaries.i18n import _, ngettext, pgettext

if TYPE_CHECKING:
    from summaries.store.rename import Held


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``rename`` command."""
    rename = commands.add_parser(
        "rename", help=_("move everything stored under a KPI or department key to its new key "
                         "(after the configuration says the new one)"))
    rename.add_argument("kind", choices=("kpi", "department"))
    rename.add_argument("old", help=_("the key as stored"))
    rename.add_argument("new", help=_("the key as the configuration now says"))
    rename.add_argument("--dry-run", action="store_true",
                        help=_("say what would move and change nothing"))
    rename.set_defaults(handler=run_rename)


def run_rename(args: argparse.Namespace, settings: Settings) -> int:
    from bot.bootstrap import open_database
    from bot.cli.base import load_configuration
    from summaries.errors import DomainError
    from summaries.store.db import dry_run, session_factory, unit_of_work
    from summaries.store.rename import rename

    config = load_configuration(settings)
    engine = open_database(settings)
    work = dry_run if args.dry_run else unit_of_work
    try:
        with work(session_factory(engine)) as session:
            moved = rename(session, config, args.kind, args.old, args.new)
    except DomainError as exc:
        raise CommandError(str(exc)) from exc
    finally:
        engine.dispose()
    print(_moved_line(args.kind, args.old, args.new, held_words(moved), dry_run=args.dry_run))
    return EXIT_OK


def _moved_line(kind: str, old: str, new: str, what: str, *, dry_run: bool) -> str:
    if kind == "kpi" and dry_run:
        return _("kpi {old} -> {new}: would move {what}", old=old, new=new, what=what)
    if kind == "kpi":
        return _("kpi {old} -> {new}: moved {what}", old=old, new=new, what=what)
    if dry_run:
        return _("department {old} -> {new}: would move {what}", old=old, new=new, what=what)
    return _("department {old} -> {new}: moved {what}", old=old, new=new, what=what)


def held_words(held: Held) -> str:
    """``12 figures, 2 targets`` (only what there is); ``nothing`` when nothing is."""
    parts = [_count(name, n) for name, n in held.counts.items() if n]
    return pgettext("list separator", ", ").join(parts) or pgettext("stored data", "nothing")


def _count(name: str, n: int) -> str:
    """``n`` stored rows of one kind (the kinds :data:`summaries.store.rename.MOVED` names)."""
    words = {
        "figures": lambda: ngettext("{n} figure", "{n} figures", n),
        "targets": lambda: ngettext("{n} target", "{n} targets", n),
        "submissions": lambda: ngettext("{n} submission", "{n} submissions", n),
        "answers": lambda: ngettext("{n} answer", "{n} answers", n),
        "revisions": lambda: ngettext("{n} revision", "{n} revisions", n),
        "flags": lambda: ngettext("{n} flag", "{n} flags", n),
    }
    return words[name]() if name in words else f"{n} {name}"
