"""A month's digest rendered once and read again while nothing it was made from has changed.

Rendering a digest reads and evaluates the month (figures, targets, summaries, last month's
problems, the trend) and lays every department out; at 500 departments that is most of a
second. Reading it back is one row. The rendering is kept under a key made of everything it
depends on: the input stamp (raised by the database on any change to what the digest reads:
a late submission, a correction, an import, a decision on an ask, a flag stored at the close;
:mod:`summaries.store.stamps`), the configuration, the code that renders it, the language and
number style in force, and the form (Markdown, HTML, Block Kit; the chart's name). Any change
to one of those gives another key, and the next read renders anew and keeps that.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import replace
from functools import cache
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from summaries.checkins.keptmonth import Keeping, keep_results
from summaries.config.schema import Config
from summaries.digest.alloc import building
from summaries.digest.load import load_digest
from summaries.digest.model import Digest
from summaries.digest.render.parts import Parts, chart_of, lines_of, parts_of, reusing
from summaries.formatting import units_in_force
from summaries.i18n import current
from summaries.periods import Month
from summaries.store.db import read_only
from summaries.store.renderings import (
    Rendering,
    keep_rendering,
    last_rendering,
    stored_rendering,
)
from summaries.store.stamps import input_stamp

log = logging.getLogger(__name__)
_CODE_SUFFIXES = frozenset({".py", ".j2", ".html", ".mo", ".ttf", ".otf", ".json"})


@cache
def code_stamp(*packages: Path) -> str:
    """A digest of the files (their names, sizes and times) in the package folders that render
    a digest: an upgrade or an edit gives another."""
    hasher = hashlib.sha256()
    for folder in packages:
        for path in sorted(folder.rglob("*")):
            if path.suffix in _CODE_SUFFIXES and "__pycache__" not in path.parts:
                status = path.stat()
                hasher.update(f"{path.relative_to(folder)}\0{status.st_size}\0"
                              f"{status.st_mtime_ns}\n".encode())
    return hasher.hexdigest()


def rendering_key(config: Config, month: Month, detail: str, stamp: int, code: str) -> str:
    """The key a rendering of ``month`` is kept under (``detail``: what else it depends on,
    such as the chart's name)."""
    return _hashed(config.fingerprint, code, str(month), detail, str(stamp))


def _hashed(*parts: str) -> str:
    """A hash of ``parts`` and the language and number style in force."""
    return hashlib.sha256("\0".join((*parts, current(), units_in_force())).encode()).hexdigest()


def read_rendering(factory: sessionmaker[Session], config: Config, month: Month, form: str,
                   render: Callable[[Digest], tuple[Rendering, bool]], *, code: str,
                   detail: str = "") -> Rendering:
    """The month's digest as ``render`` renders it in ``form``: the kept rendering when it
    was made for the same key, else rendered from the database and kept for the next read.
    ``render`` says with its rendering whether it is worth keeping (not a page whose chart
    could not be drawn: a later read tries again). A new rendering reuses the departments'
    parts of the one kept before that have not changed, and its trend chart while the trend is
    the same (:mod:`summaries.digest.render.parts`)."""
    # One pause of the collector for reading and rendering, and the digest dropped before it
    # resumes: it would otherwise walk the whole digest (a million objects at 500
    # departments), alive, to find nothing to free.
    with building():
        with read_only(factory) as session:
            stamp = input_stamp(session)  # read before the data: a later change moves it on
            key = None if stamp is None else rendering_key(config, month, detail, stamp, code)
            found = None if key is None else stored_rendering(session, str(month), form, key)
            if found is not None:
                return found
            before = last_rendering(session, str(month), form)
            keeping = Keeping(code) if stamp is not None else None
            digest = load_digest(session, config, month, closed=None, keeping=keeping)
        context = _hashed(config.fingerprint, code, str(month), form, detail)
        reusable = {} if before is None else parts_of(context, before.text, before.parts)
        chart = None if before is None else chart_of(context, before.parts, before.chart)
        lines = {} if before is None else lines_of(context, before.parts)
        with reusing(Parts(context, reusable, chart, lines)) as parts:
            rendered, worth_keeping = render(digest)
        del digest
    if keeping is not None:
        log.debug("digest of %s: %d departments' results reused, %d evaluated", month,
                  keeping.reused, len(keeping.rows))
        keep_results(factory, keeping)
    if parts.made:
        log.debug("digest of %s as %s: %d of %d departments' parts reused", month, form,
                  parts.reused, len(parts.made))
    if parts.chart_made is not None:
        log.debug("digest of %s as %s: trend chart %s", month, form,
                  "reused" if parts.chart_reused else "drawn")
    if key is not None and worth_keeping:
        # The chart kept beside it, also where the form embeds it: the next rendering may
        # take it instead of drawing it again.
        drawn = rendered.chart if parts.chart_made is None else parts.chart_made[1]
        _keep(factory, str(month), form, key,
              replace(rendered, chart=drawn, parts=parts.index(rendered.text)))
    return rendered


def _keep(factory: sessionmaker[Session], period: str, form: str, key: str,
          rendering: Rendering) -> None:
    """Keep the rendering; a database that refuses (read-only, busy) only costs the next read
    the rendering again."""
    try:
        with factory.begin() as session:
            keep_rendering(session, period, form, key, rendering)
    except SQLAlchemyError as problem:
        log.info("digest rendering not kept for %s: %s", period, problem)
