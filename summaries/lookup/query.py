"""Read a ``/kpi`` request: which KPI, which department, which month, and how to show it.

``revenue``, ``revenue east-county``, ``business income east 2026-09``, ``revenue ytd``,
``revenue east trend``: the KPI comes first, then an optional department, then an optional
month and ``ytd`` or ``trend``. Names may take several words; quotes are optional. In a
script without spaces the KPI and the department may be typed as one word (``东城流失率``):
when no reading of the words works, each cut of that word is tried both ways round.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from typing import Literal

from summaries.access import Viewer
from summaries.config import schema as schema
from summaries.config.schema import Config
from summaries.errors import DomainError, PermissionDenied, echo
from summaries.lookup.matching import Named, cuts, find
from summaries.periods import Month
from summaries.textfold import fold

Mode = Literal["list", "month", "ytd", "trend"]
MODES: dict[str, Mode] = {"ytd": "ytd", "trend": "trend"}
_MONTH = re.compile(r"\d{4}-\d{1,2}")
_LONGEST_JOINED = 80  # a longer word is not cut in two: no KPI and department names run on so
_READINGS_SHOWN = 5


class LookupProblem(DomainError):
    """A word that names nothing the person may see, or several things."""

    def __init__(self, message: str, candidates: list[Named] | None = None,
                 noun: str = "KPI") -> None:
        super().__init__(message)
        self.candidates = candidates or []
        self.noun = noun  # what the candidates are: KPI or department


@dataclass(frozen=True)
class KpiQuery:
    """A parsed ``/kpi`` request; ``kpi`` is None for the list."""

    mode: Mode
    kpi: schema.Kpi | None = None
    department: schema.Department | None = None
    month: Month | None = None


@dataclass
class _Attempt:
    """The best failure seen while trying ways to split the words into KPI and department."""

    problem: LookupProblem | None = None
    rank: int = 0

    def keep(self, problem: LookupProblem, rank: int) -> None:
        if self.problem is None or rank > self.rank:
            self.problem, self.rank = problem, rank


def visible_kpis(config: Config, viewer: Viewer) -> list[schema.Kpi]:
    """The KPIs reported by at least one department ``viewer`` may see, in template order."""
    carried = {k for d in config.departments if viewer.may_see(d.key) for k in d.kpis}
    return [k for k in config.kpis if k.key in carried]


def visible_departments(config: Config, viewer: Viewer) -> list[schema.Department]:
    return [d for d in config.departments if viewer.may_see(d.key)]


def parse_query(config: Config, viewer: Viewer, text: str) -> KpiQuery:
    """The request in ``text``, or a LookupProblem (PermissionDenied for a department the
    viewer may not see) that says what was wrong and what would work."""
    words = _words(text)
    mode: Mode = "month"
    month: Month | None = None
    while words and (fold(words[-1]) in MODES or _MONTH.fullmatch(fold(words[-1]))):
        last = fold(words.pop())  # full-width digits and dashes count
        if _MONTH.fullmatch(last):
            if month is not None:
                raise LookupProblem("Give one month only.")
            month = _month(last)
        elif mode == "month":
            mode = MODES[fold(last)]
        else:
            raise LookupProblem("Ask for `ytd` or `trend`, not both.")
    if not words:
        if mode != "month" or month is not None:
            raise LookupProblem("Name a KPI first, e.g. `/kpi revenue ytd`.")
        return KpiQuery("list")
    kpi, department = _split(config, viewer, words)
    return KpiQuery(mode, kpi, department, month)


def _words(text: str) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError:  # an unbalanced quote: take the words as they are
        return text.replace('"', " ").replace("'", " ").split()


def _month(text: str) -> Month:
    try:
        month = Month.parse(text)
    except ValueError:
        month = None
    if month is None or not 1 <= month.month <= 12:
        raise LookupProblem(f"{echo(text)} is not a month; write it as YYYY-MM, e.g. 2026-09.")
    return month


def _split(config: Config, viewer: Viewer, words: list[str]
           ) -> tuple[schema.Kpi, schema.Department | None]:
    """Try every way of reading the first words as the KPI and the rest as the department."""
    kpis = [Named(k.key, k.name) for k in visible_kpis(config, viewer)]
    attempt = _Attempt()
    for cut in range(1, len(words) + 1):
        kpi_words, rest = " ".join(words[:cut]), " ".join(words[cut:])
        found = find(kpi_words, kpis)
        if len(found) != 1:
            problem = _unclear("KPI", kpi_words, found, "/kpi", kpis)
            attempt.keep(problem, 2 if found else 1)
            continue
        kpi = config.kpi_by_key[found[0].key]
        if not rest:
            return kpi, None
        try:
            return kpi, _department(config, viewer, kpi, rest)
        except LookupProblem as problem:
            attempt.keep(problem, 3)  # the KPI was clear: the department is what is wrong
    assert attempt.problem is not None
    if len(words) == 1 and len(words[0]) <= _LONGEST_JOINED:
        joined = _joined(config, viewer, kpis, words[0])
        if joined is not None:
            return joined
    raise attempt.problem


def _joined(config: Config, viewer: Viewer, kpis: list[Named], word: str
            ) -> tuple[schema.Kpi, schema.Department] | None:
    """The one KPI and department ``word`` names when cut in two (either way round), or None
    when no cut reads; a LookupProblem when several readings differ, PermissionDenied when
    the only reading is a department the viewer may not see."""
    readings: dict[tuple[str, str], tuple[schema.Kpi, schema.Department]] = {}
    denied: PermissionDenied | None = None
    for head, tail in cuts(word):
        for kpi_part, department_part in ((head, tail), (tail, head)):
            found = find(kpi_part, kpis)
            if len(found) != 1:
                continue
            kpi = config.kpi_by_key[found[0].key]
            try:
                department = _department(config, viewer, kpi, department_part)
            except LookupProblem:
                continue
            except PermissionDenied as refused:
                denied = denied or refused
                continue
            readings[kpi.key, department.key] = (kpi, department)
    if len(readings) == 1:
        return next(iter(readings.values()))
    if readings:
        listed = "; ".join(f"{kpi.name}, {department.name}"
                           for kpi, department in list(readings.values())[:_READINGS_SHOWN])
        raise LookupProblem(f"“{echo(word)}” reads more than one way ({listed}); which one? "
                            "Put a space between the KPI and the department.")
    if denied is not None:
        raise denied
    return None


def _department(config: Config, viewer: Viewer, kpi: schema.Kpi, words: str
                ) -> schema.Department:
    mine = [Named(d.key, d.name) for d in visible_departments(config, viewer)]
    found = find(words, mine)
    if len(found) == 1:
        department = config.department_by_key[found[0].key]
        if kpi.key not in department.kpis:
            carried = [Named(k.key, k.name) for k in config.kpis_of(department)]
            raise LookupProblem(f"{department.name} does not report {kpi.name}. It reports:",
                                carried)
        return department
    if not found:
        elsewhere = find(words, [Named(d.key, d.name) for d in config.departments])
        if elsewhere:
            names = ", ".join(config.department_by_key[k].name for k in viewer.managed)
            raise PermissionDenied(
                f"Sorry, you can look up your own departments only ({names}, and the "
                f"departments under them); {elsewhere[0].name} is not one of them.")
    raise _unclear("department", words, found, f"/kpi {kpi.key}", mine)


def _unclear(what: str, words: str, found: list[Named], example: str,
             choices: list[Named]) -> LookupProblem:
    if found:
        return LookupProblem(f"“{echo(words)}” could be more than one {what}; which one?",
                             found, what)
    return LookupProblem(f"No {what} you can look up is called “{echo(words)}”. "
                         f"Try one of these, e.g. `{example} {choices[0].key}`:"
                         if choices else f"No {what} is called “{echo(words)}”.", choices, what)
