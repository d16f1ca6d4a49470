"""Who may see what: a person's role and the departments they may look up (SPEC section 1)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from summaries.config.schema import Config

Role = Literal["admin", "leader", "manager"]


@dataclass(frozen=True)
class Viewer:
    """A Slack user as the configuration knows them.

    ``managed`` are the departments they head, in configuration order; ``visible`` are those
    they may look up: every department for leaders and admins, else the managed ones and
    every department below them.
    """

    user: str
    role: Role | None
    managed: tuple[str, ...]
    visible: frozenset[str]

    @property
    def sees_everything(self) -> bool:
        return self.role in ("admin", "leader")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def may_see(self, department: str) -> bool:
        return department in self.visible


def viewer(config: Config, user: str) -> Viewer:
    """The role of ``user`` and the departments they may see; no role sees nothing."""
    managed = tuple(d.key for d in config.departments if d.manager == user)
    if config.is_admin(user) or config.is_leader(user):
        role: Role = "admin" if config.is_admin(user) else "leader"
        return Viewer(user, role, managed, frozenset(config.department_by_key))
    if not managed:
        return Viewer(user, None, (), frozenset())
    visible: set[str] = set()
    for key in managed:
        visible |= config.descendants(key)
    return Viewer(user, "manager", managed, frozenset(visible))

