"""A department's part of a rendered digest, reused from the last rendering while it is the same.

A late summary or a correction changes one department (and its parents' roll-ups); the other
parts of the digest come out as they did. Rendering a part means wording every figure and
problem of the department, most of a render's time, so a render given the parts of the
rendering before (:func:`reusing`) writes again only the parts whose department changed.

Each part is known by a print of everything it is made from: the department as the digest
holds it (figures, comparisons, problems, asks and their history, sections, reminders) with
the names of the departments it may mention. What the whole rendering is made from (the
configuration, the code, the month, the language and number style, the form) is the
rendering's context: parts are reused only from a rendering made in the same context. A print
is a hash of a canonical serialization, so a part is reused only when what it would be made
from is equal, never because two departments merely look alike.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import operator
import pickle
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from summaries.config.schema import Kpi
from summaries.digest.header import KEPT_LINES
from summaries.digest.model import DepartmentDigest, KpiRow
from summaries.engine.cell import Cell
from summaries.engine.problems import Problem

# Fields a part is not made from: caches filled as a department is read (a part read once
# would otherwise differ from one never read), and a problem's impact, which only orders the
# problems (their order is in the print) and moves with the organization's totals, so that
# any correction anywhere would otherwise change every department with a problem.
_LEFT_OUT: dict[type, frozenset[str]] = {KpiRow: frozenset({"_texts"}),
                                         DepartmentDigest: frozenset({"_rows"}),
                                         Problem: frozenset({"impact"})}
_KEPT = {kind: operator.attrgetter(*(f.name for f in dataclasses.fields(kind)
                                     if f.name not in left_out))
         for kind, left_out in _LEFT_OUT.items()}
_CELL = operator.attrgetter(*Cell.__slots__)


Reducer = Callable[[Any], tuple[type, tuple[Any]]]


def canonical(covered: Collection[int] = frozenset()) -> dict[type, Reducer]:
    """How a department pickles for its print (a pickler's dispatch table): a KPI as its
    definition (it carries compiled formulas, which do not pickle; each KPI serialized once
    per table), a row, a department and a problem without the fields their parts are not made
    from (``_LEFT_OUT``), a cell as its values, or just as its department and KPI where it is
    ``covered`` (by id: a cell of a department whose ``cells_print`` says all its cells hold).
    Only these types call back into Python; everything else pickles at C speed. Nothing in
    the table refers to a pickler, so a pickler and all it remembers go as soon as its print
    is taken, not at the next garbage collection."""
    kpis: dict[int, tuple[Kpi, str]] = {}  # the KPI kept with its text: its id stays its own

    def kpi(found: Kpi) -> tuple[type, tuple[str]]:
        known = kpis.get(id(found))
        if known is None:
            known = kpis[id(found)] = found, found.model_dump_json()
        return str, (known[1],)

    table: dict[type, Reducer] = {kind: _fields(get) for kind, get in _KEPT.items()}
    table[Kpi] = kpi
    def cell(found: Cell) -> tuple[type, tuple[Any]]:
        if id(found) in covered:
            return tuple, (("cell", found.department, found.kpi),)
        # The text of its values: decimals, texts, whole numbers, None and tuples of them,
        # whose repr is exact and one to one, and twice as quick as pickling each value.
        return str, (repr(_CELL(found)),)

    table[Cell] = cell
    return table


def _fields(get: Callable[[Any], tuple[Any, ...]]) -> Reducer:
    return lambda obj: (tuple, (get(obj),))


class Parts:
    """The parts of one rendering: those it may reuse (by print, from the rendering before in
    the same context) and those it made, in order, for keeping with it; and its trend chart,
    the one drawn before (``chart``: its print and PNG) while it is drawn from the same."""

    def __init__(self, context: str, before: dict[str, str],
                 chart: tuple[str, bytes] | None = None,
                 lines: dict[str, str] | None = None) -> None:
        self.context = context
        self.before = before
        # The header's problem lines, by print (summaries.digest.header.line_print).
        self.lines_before: dict[str, str] = lines or {}
        self.lines_made: dict[str, str] = {}
        self.made: list[tuple[str, str]] = []  # (print, text) in the order rendered
        self.reused = 0
        self.chart_before = chart
        self.chart_made: tuple[str, bytes] | None = None
        self.chart_reused = False
        self._covered: set[int] = set()
        self._canonical = canonical(self._covered)

    def chart(self, thing: object, draw: Callable[[], bytes | None]) -> bytes | None:
        """The trend chart drawn from ``thing`` (everything it shows): the one drawn before
        from the same, else ``draw()``, its PNG (None: nothing drawn, nothing kept)."""
        key = printed(("chart", thing), self._canonical)
        if self.chart_before is not None and self.chart_before[0] == key:
            self.chart_made, self.chart_reused = self.chart_before, True
            return self.chart_before[1]
        png = draw()
        self.chart_made = None if png is None else (key, png)
        return png

    def part(self, department: DepartmentDigest, names: str, form: str,
             render: Callable[[], str]) -> str:
        """The text of ``department``'s part: reused if one with the same print was rendered
        before, else ``render()``. ``names`` is the print of the names of every department
        (a part may mention any), ``form`` the form rendered."""
        if department.cells_print is not None:  # the cells' print stands for its cells
            self._covered.update(id(row.cell) for row in department.rows)
        try:
            key = printed((form, names, department), self._canonical)
        finally:
            self._covered.clear()
        text = self.before.get(key)
        if text is None:
            text = render()
        else:
            self.reused += 1
        self.made.append((key, text))
        return text

    def index(self, body: str) -> str | None:
        """Where each part made sits in ``body``, the whole rendering, and the chart's print,
        as JSON for keeping beside it; None without either, or if a part cannot be found
        (nothing is then reused)."""
        if not self.made and self.chart_made is None and not self.lines_made:
            return None
        spans: list[tuple[str, int, int]] = []
        at = 0
        for key, text in self.made:
            start = body.find(text, at)
            if start < 0:
                return None
            at = start + len(text)
            spans.append((key, start, at))
        chart = None if self.chart_made is None else self.chart_made[0]
        return json.dumps({"context": self.context, "parts": spans, "chart": chart,
                           "lines": self.lines_made}, ensure_ascii=False, separators=(",", ":"))


def printed(thing: object, table: dict[type, Reducer] | None = None) -> str:
    """The print of ``thing``: a hash of its pickle by :func:`canonical` (``table``: one
    made before, shared by the prints of one rendering)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.dispatch_table = canonical() if table is None else table
    pickler.dump(thing)
    return hashlib.blake2b(buffer.getbuffer(), digest_size=20).hexdigest()


def parts_of(context: str, body: str, places: str | None) -> dict[str, str]:
    """The parts of a kept rendering (``body``, and ``places``: where its parts sit, as
    :meth:`Parts.index` wrote them), by print, if it was made in ``context``; none from
    another context or without places."""
    found = _places(context, places)
    try:
        return {key: body[start:end] for key, start, end in found["parts"]}
    except (ValueError, TypeError, AttributeError, KeyError):
        return {}  # places this code cannot read cost a full render, nothing else


def lines_of(context: str, places: str | None) -> dict[str, str]:
    """The header's problem lines of a kept rendering, by print, if it was made in
    ``context``."""
    found = _places(context, places).get("lines")
    if not isinstance(found, dict):
        return {}
    return {k: v for k, v in found.items() if isinstance(k, str) and isinstance(v, str)}


def chart_of(context: str, places: str | None, png: bytes | None) -> tuple[str, bytes] | None:
    """The print and PNG of a kept rendering's chart (``png``, kept beside it), if it was
    made in ``context`` and its places name the chart's print."""
    key = _places(context, places).get("chart")
    return (key, png) if isinstance(key, str) and png is not None else None


def _places(context: str, places: str | None) -> dict[str, Any]:
    """``places`` read, if written in ``context``; else empty."""
    try:
        found = json.loads(places) if places is not None else {}
    except ValueError:
        return {}
    return found if isinstance(found, dict) and found.get("context") == context else {}


def kept_chart(thing: object, draw: Callable[[], bytes | None]) -> bytes | None:
    """The trend chart drawn from ``thing``: inside :func:`reusing`, the one drawn before
    while it is drawn from the same (:meth:`Parts.chart`); else ``draw()``."""
    parts = parts_in_use()
    return draw() if parts is None else parts.chart(thing, draw)


_PARTS: ContextVar[Parts | None] = ContextVar("digest_parts", default=None)


@contextmanager
def reusing(parts: Parts) -> Iterator[Parts]:
    """Inside, a digest rendered as Markdown or HTML reuses ``parts`` and records the parts it
    made."""
    token = _PARTS.set(parts)
    lines = KEPT_LINES.set((parts.lines_before, parts.lines_made))
    try:
        yield parts
    finally:
        KEPT_LINES.reset(lines)
        _PARTS.reset(token)


def parts_in_use() -> Parts | None:
    """The parts a render inside :func:`reusing` works with, or None outside."""
    return _PARTS.get()
