"""The reader's language for a stretch of work, and the functions that look words up in it."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

from summaries.i18n.catalogs import language_of, translations

# The reader's locale tag ("zh_CN", "en"; None outside any ``speaking``) and its catalogue's
# language, found once when the reader is set rather than on every word.
_reading: ContextVar[tuple[str | None, str]] = ContextVar("reading", default=(None, "en"))
# Words already looked up, by language, context and message: a digest asks for the same few
# hundred tens of thousands of times. Emptied when it outgrows the catalogues many times over
# (a message that is not a constant would otherwise grow it for ever).
_looked_up: dict[tuple[str, str | None, str], str] = {}
_LOOKED_UP_LIMIT = 20_000
_P = ParamSpec("_P")
_R = TypeVar("_R")


@contextmanager
def speaking(locale: str | None) -> Iterator[str]:
    """Inside, words come from ``locale``'s catalogue (English where none ships) and numbers
    and dates are written the way ``locale`` writes them, whatever locale a formatter is
    handed (:func:`reading`). Nests: a direct message to one reader inside a job that speaks
    the organization's language."""
    token = _reading.set(_reader(locale))
    try:
        yield current()
    finally:
        _reading.reset(token)


def speak_from_now(locale: str | None) -> None:
    """Like :func:`speaking`, for the rest of the current context: only where that context is
    the work's own copy (a request run with ``contextvars.copy_context().run``), so that it
    ends with the work."""
    _reading.set(_reader(locale))


def _reader(locale: str | None) -> tuple[str | None, str]:
    tag = locale.replace("-", "_") if locale else None
    return tag, language_of(tag) or "en"


def current() -> str:
    """The catalogue language words come from now: ``en`` or ``zh_Hans``."""
    return _reading.get()[1]


def reading(locale: str) -> str:
    """The locale to write numbers and dates in: the reader's, inside :func:`speaking`; else
    ``locale`` (the organization's, as the caller was given it)."""
    return _reading.get()[0] or locale


def reader_locale(own: str | None, organization: str) -> str:
    """The locale one person reads in: their own (Slack's ``zh-CN``) where a catalogue exists
    for it, else the organization's. Numbers and dates follow the same locale as the words."""
    return own.replace("-", "_") if own and language_of(own) else organization


def _(message: str, /, **values: Any) -> str:
    """``message`` in the reader's language, its ``{placeholders}`` filled from ``values``."""
    language = _reading.get()[1]
    text = _looked_up.get((language, None, message))
    if text is None:
        text = _remember((language, None, message), translations(language).gettext(message))
    return text.format(**values) if values else text


def ngettext(singular: str, plural: str, n: int, /, **values: Any) -> str:
    """The form for ``n`` by the language's CLDR plural rule; ``{n}`` is filled in too."""
    text = translations(current()).ngettext(singular, plural, n)
    return text.format(n=n, **values)


def pgettext(context: str, message: str, /, **values: Any) -> str:
    """``message`` where the same English means different things (``context`` tells which)."""
    language = _reading.get()[1]
    text = _looked_up.get((language, context, message))
    if text is None:
        text = _remember((language, context, message),
                         translations(language).pgettext(context, message))
    return text.format(**values) if values else text


def _remember(key: tuple[str, str | None, str], text: str) -> str:
    if len(_looked_up) >= _LOOKED_UP_LIMIT:
        _looked_up.clear()
    _looked_up[key] = text
    return text


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
