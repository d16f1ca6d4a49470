"""Each manager's own time zone, as Slack knows it (``users.info``, kept by
:mod:`bot.people`), for ``schedule.local_time``."""

from __future__ import annotations

from collections.abc import Iterable

from bot.deps import Deps
from bot.people import people_book


def reader_zone(deps: Deps, user: str) -> str:
    """The zone a message to ``user`` is written in: theirs with ``schedule.local_time``,
    else the organization's (no lookup at all)."""
    organization = deps.config.organization.timezone
    if not deps.config.schedule.local_time:
        return organization
    return people_book(deps).zone(user, organization)


def zones_of(deps: Deps, users: Iterable[str]) -> dict[str, str]:
    """Each of ``users``' zones (see :func:`reader_zone`)."""
    return {user: reader_zone(deps, user) for user in dict.fromkeys(users)}
