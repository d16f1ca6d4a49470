"""Which language the command line speaks (SPEC 11): the organization's, once its configuration
loads (:func:`bot.cli.base.load_configuration`); before that (a broken configuration,
``--help``), the environment's, where a catalogue ships for it; else English. argparse's own
words (``usage:``, its errors) follow along."""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from summaries.i18n import N_, _, language_of, ngettext

# The environment variables that choose the language of messages, strongest first (POSIX).
LANGUAGE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")
# argparse's own sentences a user of ``checkin`` meets, as argparse writes them (its msgids),
# so that the catalogue holds them; argparse looks them up through :func:`argparse_speaking`.
ARGPARSE_WORDS = (
    N_("usage: "), N_("positional arguments"), N_("options"),
    N_("show this help message and exit"), N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("unrecognized arguments: %s"), N_("expected one argument"),
    N_("invalid %(type)s value: %(value)r"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
)


def environment_locale(environ: Mapping[str, str] | None = None) -> str | None:
    """The locale of ``LC_ALL``, ``LC_MESSAGES`` or ``LANG`` (the first one set decides, as
    for any program): ``zh_CN.UTF-8`` gives ``zh_CN``; None where no catalogue ships for it
    (``C``, ``de_DE``) or nothing is set."""
    environ = os.environ if environ is None else environ
    value = next((environ[name] for name in LANGUAGE_VARIABLES if environ.get(name)), "")
    tag = value.split(".", 1)[0].split("@", 1)[0]
    return tag if tag not in ("C", "POSIX") and language_of(tag) else None


@contextmanager
def argparse_speaking() -> Iterator[None]:
    """argparse's words (``usage:``, ``options``, its errors) from the catalogue while the
    command line is parsed: argparse looks them up through its module's ``_``."""
    module: Any = argparse
    saved = module._, module.ngettext
    module._ = _
    module.ngettext = ngettext
    try:
        yield
    finally:
        module._, module.ngettext = saved
