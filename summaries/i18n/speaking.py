"""The reader's language for a stretch of work, and the functions that look words up in it."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

from summaries.i18n.catalogs import language_of, translations

# The reader's locale tag ("zh_CN", "en"), or None outside any ``speaking``.
_reading: ContextVar[str | None] = ContextVar("reading", default=None)
_P = ParamSpec("_P")
_R = TypeVar("_R")


@contextmanager
def speaking(locale: str | None) -> Iterator[str]:
    """Inside, words come from ``locale``'s catalogue (English where none ships) and numbers
    and dates are written the way ``locale`` writes them, whatever locale a formatter is
    handed (:func:`reading`). Nests: a direct message to one reader inside a job that speaks
    the organization's language."""
    token = _reading.set(locale.replace("-", "_") if locale else None)
    try:
        yield current()
    finally:
        _reading.reset(token)


def speak_from_now(locale: str | None) -> None:
    """Like :func:`speaking`, for the rest of the current context: only where that context is
    the work's own copy (a request run with ``contextvars.copy_context().run``), so that it
    ends with the work."""
    _reading.set(locale.replace("-", "_") if locale else None)


def current() -> str:
    """The catalogue language words come from now: ``en`` or ``zh_Hans``."""
    return language_of(_reading.get()) or "en"


def reading(locale: str) -> str:
    """The locale to write numbers and dates in: the reader's, inside :func:`speaking`; else
    ``locale`` (the organization's, as the caller was given it)."""
    return _reading.get() or locale


def reader_locale(own: str | None, organization: str) -> str:
    """The locale one person reads in: their own (Slack's ``zh-CN``) where a catalogue exists
    for it, else the organization's. Numbers and dates follow the same locale as the words."""
    return own.replace("-", "_") if own and language_of(own) else organization


def _(message: str, /, **values: Any) -> str:
    """``message`` in the reader's language, its ``{placeholders}`` filled from ``values``."""
    text = translations(current()).gettext(message)
    return text.format(**values) if values else text


def ngettext(singular: str, plural: str, n: int, /, **values: Any) -> str:
    """The form for ``n`` by the language's CLDR plural rule; ``{n}`` is filled in too."""
    text = translations(current()).ngettext(singular, plural, n)
    return text.format(n=n, **values)


def pgettext(context: str, message: str, /, **values: Any) -> str:
    """``message`` where the same English means different things (``context`` tells which)."""
    text = translations(current()).pgettext(context, message)
    return text.format(**values) if values else text


def N_(message: str, /) -> str:
    """Marks ``message`` for the catalogue without translating it yet (kept in a constant)."""
    return message


def in_readers_language(build: Callable[_P, _R]) -> Callable[_P, _R]:
    """A builder that takes a ``locale`` writes in it, unless a reader was set further out
    (then in theirs): so it is right called directly, and right inside a reader's request."""
    signature = inspect.signature(build)

    @functools.wraps(build)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        with speaking(reading(bound.arguments["locale"])):
            return build(*args, **kwargs)

    return run
