"""What every command shares: exit statuses, the one-line error, and quiet output ends."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from bot.settings import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, Settings
from summaries.i18n import _, speak_from_now

if TYPE_CHECKING:
    from summaries.config.schema import Config

# The exit statuses every command ends with (defined beside StartupError, which carries one).
__all__ = ["EXIT_BAD_INPUT", "EXIT_FAILED", "EXIT_OK", "CommandError", "Handler",
           "failure_line", "silence_stdout"]
# A command: its parsed arguments and the settings in, its exit status out.
Handler = Callable[[argparse.Namespace, Settings], int]


class CommandError(Exception):
    """A problem to report in one line, with an exit status, and no traceback."""

    def __init__(self, message: str, status: int = EXIT_BAD_INPUT) -> None:
        super().__init__(message)
        self.status = status


def failure_line(exc: BaseException) -> str:
    """What went wrong, in one line that holds no SQL, parameters or payload."""
    from summaries.errors import first_line

    cause = getattr(exc, "orig", None)  # a database error: the driver's own message
    if type(exc).__module__.startswith("sqlalchemy"):
        detail = first_line(cause) if cause is not None else type(exc).__name__
        return _("database error: {detail}", detail=detail)
    if isinstance(exc, OSError):
        return f"{exc.filename + ': ' if exc.filename else ''}{exc.strerror or exc}"
    return _("failed: {kind}: {detail}", kind=type(exc).__name__, detail=first_line(exc)[:200])


def silence_stdout() -> None:
    """Send what is left of standard output nowhere (its reader is gone), so the interpreter's
    final flush does not fail too."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def load_configuration(settings: Settings) -> Config:
    """The configuration the settings name (InputError when invalid); from here on the
    command speaks its organization's language (the command runs in a context of its own)."""
    from bot.bootstrap import load_configuration as load

    config = load(settings)
    speak_from_now(config.organization.locale)
    return config
