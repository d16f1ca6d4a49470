"""Jinja2 writes the words of Slack messages; Block Kit structure is built in Python."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from bot.blocks.common import escape
from summaries.i18n import _, ngettext


@lru_cache(maxsize=1)
def environment() -> Environment:
    """Templates from ``bot/templates``: undefined names fail, user text goes through ``slack``."""
    env = Environment(loader=PackageLoader("bot", "templates"), undefined=StrictUndefined,
                      autoescape=False, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=False)
    env.filters["slack"] = escape
    env.globals.update(_=_, ngettext=ngettext)  # the words, from the reader's catalogue
    return env


def render(name: str, **values: Any) -> str:
    """Render ``templates/<name>.j2`` to mrkdwn text, without surrounding blank lines."""
    return environment().get_template(f"{name}.j2").render(**values).strip()
