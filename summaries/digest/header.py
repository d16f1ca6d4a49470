"""What the digest's header says, in order (SPEC 5.1), as plain text for every medium.

0. the period and how many summaries are in; 1. the headline KPIs with their target,
contributors and year-end projection; 2. the asks of leadership; 3. the red problems, one line
each, by impact, marked new / worse / recurring; 4. one line of counts. The thread (and the
exports) carry the rest: every problem, in its department's reply.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass

from babel.dates import format_date

from summaries.dates import format_month
from summaries.digest.askwords import carried_groups
from summaries.digest.model import DepartmentDigest, Digest, KpiRow
from summaries.digest.phrases import contributors_text, problem_text, projection_text
from summaries.digest.text import attainment_text, place_text
from summaries.digest.voice import clauses, listing, voice, voice_key
from summaries.engine.asks import Ask
from summaries.engine.problems import Problem
from summaries.formatting import babel_locale, format_figure
from summaries.i18n import _, ngettext, pgettext

# Where the rest of the problems are: the thread (Slack) or the department sections (files).
THREAD, SECTIONS = "thread", "sections"


@dataclass(frozen=True)
class ProblemLine:
    """A problem as one line: its department, its words, and how it stands since last month."""

    department: str  # the department's name
    text: str
    severity: str
    since: str | None
    minor: bool


@dataclass(frozen=True)
class HeadlineLine:
    """A headline KPI: its figure against target, then the lines that explain it."""

    row: KpiRow
    figure: str  # "10,592,160 CNY of 10,810,000 CNY target (98.0%)"
    notes: tuple[str, ...]  # contributors, year to date and projection


@dataclass(frozen=True)
class AskLine:
    """An ask as a list shows it: its department's name and the ask."""

    department: str
    ask: Ask


@dataclass(frozen=True)
class HeaderView:
    headline: tuple[HeadlineLine, ...]
    asks: tuple[AskLine, ...]  # this month's, newest first
    problems: tuple[ProblemLine, ...]
    hidden: int  # problems that would be listed but for ``rules.digest.top``
    counts: str  # the one line of counts
    carried: tuple[tuple[str, tuple[AskLine, ...]], ...] = ()  # "Still open from …", lines


def header_view(digest: Digest, where: str = THREAD) -> HeaderView:
    """The header's parts for ``digest``, by its ``rules.digest`` settings; ``where`` says
    where the rest of the problems are (:data:`THREAD` in Slack, :data:`SECTIONS` of a
    document). Worked out once per digest, place and language (:mod:`summaries.digest.voice`)."""
    with voice(digest.locale, digest.compact_units):
        key = ("header", where, *voice_key(digest.locale))
        found = digest.memo.get(key)
        if not isinstance(found, HeaderView):
            found = digest.memo[key] = _header_view(digest, where)
        return found


def _header_view(digest: Digest, where: str) -> HeaderView:
    names = digest.names
    month = format_month(digest.period, digest.locale)
    headline = tuple(_headline(row, digest.locale, month, names) for row in digest.headline)
    asks = tuple(AskLine(names.get(a.department, a.department), a) for a in digest.asks)
    carried = tuple((group.title, tuple(AskLine(names.get(a.department, a.department), a)
                                        for a in group.asks))
                    for group in carried_groups(digest.carried, digest.period, digest.locale))
    listed = [p for p in digest.problems if _in_header(p, digest.rules.header)]
    top = digest.rules.top
    shown = listed[:top] if top is not None else listed
    lines = tuple(problem_line(p, digest, names, short=True) for p in shown)
    return HeaderView(headline, asks, lines, len(listed) - len(shown),
                      counts_text(digest, shown, where), carried)


def _in_header(problem: Problem, mode: str) -> bool:
    if problem.restates is not None:
        return False  # its child's line says it
    return mode == "all" or problem.severity == "red"


def problem_line(problem: Problem, digest: Digest, names: dict[str, str], *,
                 short: bool = False) -> ProblemLine:
    """A problem worded once per digest and language (``short``: the header's line)."""
    with voice(digest.locale, digest.compact_units):
        key = ("problem", id(problem), short, *voice_key(digest.locale))
        found = digest.memo.get(key)
        if not isinstance(found, ProblemLine):
            found = digest.memo[key] = _problem_line(problem, digest, names, short)
        return found


def _problem_line(problem: Problem, digest: Digest, names: dict[str, str],
                  short: bool) -> ProblemLine:
    department = digest.department(problem.department)
    assert department is not None
    row = department.row(problem.kpi)
    assert row is not None
    kept = KEPT_LINES.get() if short else None
    key = text = None
    if kept is not None:
        key = line_print(problem)
        text = kept[0].get(key)
    if text is None:
        # The figure as its KPI table shows it (worked out once for both).
        figure = None if short or row.cell.actual is None else row.text(digest.locale).actual
        text = problem_text(problem, row.kpi, digest.locale, names, short=short, figure=figure)
    if kept is not None and key is not None:
        kept[1][key] = text
    return ProblemLine(names.get(problem.department, problem.department), text,
                       problem.severity, problem.since, problem.minor)


# The header's problem lines worded by the rendering before (by print), and those worded now,
# while a rendering reuses what has not changed (set by summaries.digest.render.parts).
KEPT_LINES: ContextVar[tuple[Mapping[str, str], dict[str, str]] | None] = ContextVar(
    "kept_lines", default=None)


def line_print(problem: Problem) -> str:
    """A print of all a header's problem line is worded from, beside the rendering's context
    (configuration, code, language, number style): its flags' facts, its figure, and the child
    it restates."""
    cell = problem.cell
    made_of = (problem.severity, problem.restates, None if cell is None else cell.actual,
               problem.flags)
    return hashlib.blake2b(repr(made_of).encode(), digest_size=16).hexdigest()


def _headline(row: KpiRow, locale: str, month: str, names: dict[str, str]) -> HeadlineLine:
    kpi, cell = row.kpi, row.cell
    text = row.text(locale)
    if cell.actual is None:
        figure = text.actual
    elif cell.target is not None:
        figure = _("{actual} of {target} target ({attainment})", actual=text.actual,
                   target=format_figure(cell.target, "", kpi.decimals, locale),
                   attainment=attainment_text(cell, kpi, locale))
    elif cell.limit_max is not None or cell.limit_min is not None:
        figure = _("{actual} ({limits})", actual=text.actual, limits=text.target)
    else:
        figure = text.actual
    notes = []
    if row.contributors is not None and cell.status != "green":  # a gap worth explaining
        notes.append(contributors_text(row.contributors, kpi, locale, "", names))
    if cell.ytd_share is not None and cell.pace_share is not None:
        if row.projection is not None:
            notes.append(_("YTD {ytd}; {projection}", ytd=text.ytd,
                           projection=projection_text(row.projection, kpi, locale)))
        else:
            notes.append(_("YTD {ytd}", ytd=text.ytd))
    return HeadlineLine(row, figure, tuple(notes))


def counts_text(digest: Digest, shown: list[Problem], where: str = THREAD) -> str:
    """Amber and minor problems (in the thread), still open from last month, resolved, and
    who has not submitted, with how many reminders they had."""
    listed = {p.identity for p in shown}
    rest = [p for p in digest.problems if p.identity not in listed and p.restates is None]
    parts = []
    for label, picked in ((pgettext("problems", "{count} red"),
                           [p for p in rest if p.severity == "red"]),
                          (pgettext("problems", "{count} amber"),
                           [p for p in rest if p.severity == "amber" and not p.minor]),
                          (pgettext("problems", "{count} minor"), [p for p in rest if p.minor])):
        if picked:
            parts.append(label.format(count=len(picked)))
    if not parts:
        counted = _("No other problems")
    elif where == SECTIONS:
        counted = _("{counts} in the department sections", counts=listing(parts))
    else:
        counted = _("{counts} in the thread", counts=listing(parts))
    pieces = [counted]
    if digest.previous is not None:
        still = sum(1 for p in digest.problems if p.since in ("recurring", "worse"))
        before = format_month(digest.previous, digest.locale)
        if digest.previous.year == digest.period.year:  # "September", not "September 2026"
            before = format_date(digest.previous.first_day(), "LLLL",
                                 locale=babel_locale(digest.locale))
        # "problems": the asks still open from earlier months are a list of their own
        pieces.append(ngettext("{n} problem still open from {month}, {resolved} resolved",
                               "{n} problems still open from {month}, {resolved} resolved",
                               still, month=before, resolved=len(digest.resolved)))
    if digest.missing:
        pieces.append(_("not submitted: {departments}",
                        departments=listing(_missing(d) for d in digest.missing)))
    if digest.skipped:
        pieces.append(_("nothing to report: {departments}", departments=listing(
            _("{name} ({reason})", name=d.name, reason=d.skip_reason) if d.skip_reason
            else d.name for d in digest.skipped)))
    return " \u00b7 ".join(pieces)


def _missing(department: DepartmentDigest) -> str:
    count = department.reminders
    if count == 0:
        return _("{name} (no reminder)", name=department.name)
    return ngettext("{name} ({n} reminder)", "{name} ({n} reminders)", count,
                    name=department.name)


def by_worst_problem(digest: Digest) -> list[DepartmentDigest]:
    """The departments in the order of their worst problem (severity, then impact); those
    without a problem follow in configuration order."""
    rank: dict[str, int] = {}
    for index, problem in enumerate(digest.problems):
        rank.setdefault(problem.department, index)
    order = {d.key: n for n, d in enumerate(digest.departments)}
    return sorted(digest.departments,
                  key=lambda d: (rank.get(d.key, len(digest.problems)), order[d.key]))


def department_lines(digest: Digest, department: DepartmentDigest
                     ) -> tuple[list[ProblemLine], list[str]]:
    """A department's reply opens with these: its problems (every fact, minor ones too) and
    the notes that explain them (a parent's gaps by department, its rank); worked out once."""
    with voice(digest.locale, digest.compact_units):
        key = ("department", department.key, *voice_key(digest.locale))
        found = digest.memo.get(key)
        if found is None:
            found = digest.memo[key] = _department_lines(digest, department)
        return found  # type: ignore[return-value]


def _department_lines(digest: Digest, department: DepartmentDigest
                      ) -> tuple[list[ProblemLine], list[str]]:
    names = digest.names
    month = format_month(digest.period, digest.locale)
    lines = [problem_line(p, digest, names) for p in department.problems]
    notes = [contributors_text(row.contributors, row.kpi, digest.locale, month, names)
             for row in department.rows if row.contributors is not None]
    ranked = rank_line(digest, department)
    return lines, [*notes, *([ranked] if ranked else [])]


def rank_line(digest: Digest, department: DepartmentDigest) -> str | None:
    """"Ranked by attainment among …: Business income 2nd of 3, …", or None unranked."""
    places = [(row.kpi.name, place) for row in department.rows
              if (place := place_text(row.cell, digest.locale)) is not None]
    if not places:
        return None
    parent = digest.names.get(department.parent) if department.parent else None
    shown = clauses(_("{kpi} {place}", kpi=name, place=place) for name, place in places)
    if parent:
        return _("Ranked by attainment among the departments under {parent}: {places}",
                 parent=parent, places=shown)
    return _("Ranked by attainment among its peers: {places}", places=shown)
