"""What the outbox needs of the process, and no more: settings, the Slack client it posts
with, the pacer, the clock and a unit of work. ``Deps`` has all five; a test can pass less."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Protocol

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.outbox.pacing import Pacer
from bot.settings import Settings


class Sender(Protocol):
    """The narrow view of the process's dependencies the outbox works with."""

    @property
    def settings(self) -> Settings: ...

    @property
    def poster(self) -> WebClient: ...

    @property
    def pacer(self) -> Pacer: ...

    @property
    def clock(self) -> Callable[[], datetime]: ...

    def unit_of_work(self) -> AbstractContextManager[Session]: ...
