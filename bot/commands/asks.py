"""``/checkin asks [open|all] [department]``: the asks of leadership the person may see (SPEC
5.2), privately. Who sees what is the domain's rule (:func:`find_asks`): a manager their
departments' asks, leaders and admins everyone's; naming a department they may not see is
refused there, whatever was typed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.blocks.asklist import AskWords, asks_message
from bot.deps import Deps
from summaries.access import Viewer
from summaries.checkins.asks import find_asks
from summaries.errors import DomainError
from summaries.i18n import _
from summaries.lookup.matching import Named, find_one
from summaries.periods import this_month
from summaries.textfold import fold

# Whether a scope word asks for every state: ``open`` and ``all``, and as Chinese says them.
SCOPES = {"open": False, "all": True, "未办结": False, "待批复": False, "全部": True}


def parse_scope(words: Sequence[str]) -> tuple[bool, list[str]]:
    """Whether every state was asked for (``all``; ``open`` is the default), and the words
    left, which name a department."""
    scopes = {SCOPES[fold(w)] for w in words if fold(w) in SCOPES}
    if len(scopes) > 1:
        raise DomainError(_("Choose open or all, not both."))
    return scopes == {True}, [w for w in words if fold(w) not in SCOPES]


def asks_reply(deps: Deps, who: Viewer, words: Sequence[str]) -> dict[str, Any]:
    """The message answering ``/checkin asks`` with ``words`` after it."""
    config = deps.config
    every_state, rest = parse_scope(words)
    department = None
    if rest:  # matched among all departments, so another's gets a refusal, not "which?"
        department = find_one(" ".join(rest),
                              [Named(d.key, d.name) for d in config.departments]).key
    with deps.read_only() as session:
        found = find_asks(session, config, who, live_only=not every_state,
                          department=department)
    timezone = config.organization.timezone
    words_for = AskWords({d.key: d.name for d in config.departments},
                         this_month(deps.clock(), timezone), deps.locale, timezone)
    name = config.department_by_key[department].name if department is not None else None
    return asks_message(found, words_for, every_state=every_state, department=name)
