"""Read a ``/kpi`` request: which KPI, which department, which month, and how to show it.

``revenue``, ``revenue east-county``, ``business income east 2026-09``, ``revenue ytd``,
``revenue east trend``: the KPI comes first, then an optional department, then an optional
month and ``ytd`` or ``trend``. Names may take several words; quotes are optional. In a
script without spaces the KPI and the department may be typed as one word (``东城流失率``):
when no reading of the words works, each cut of that word is tried both ways round. Chinese
may write the month its own way (``流失 东城 2026年10月``, ``10月``, ``上月``: see
:mod:`summaries.lookup.months`) and say ``累计`` for ``ytd`` and ``趋势`` for ``trend``.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from datetime import date
from typing import Literal

from summaries.access import Viewer
from summaries.config import schema as schema
from summaries.config.memo import PerConfig
from summaries.config.schema import Config
from summaries.errors import DomainError, PermissionDenied, echo
from summaries.i18n import N_, _, pgettext
from summaries.lookup.matching import Named, cuts, find, listed
from summaries.lookup.months import is_month_word, is_year_word, month_of, needs_year
from summaries.periods import Month
from summaries.textfold import fold

Mode = Literal["list", "month", "ytd", "trend"]
MODES: dict[str, Mode] = {"ytd": "ytd", "trend": "trend", "累计": "ytd", "本年累计": "ytd",
                          "年累计": "ytd", "趋势": "trend", "走势": "trend"}
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


_VISIBLE: PerConfig[Viewer, list[schema.Kpi]] = PerConfig(512)


def visible_kpis(config: Config, viewer: Viewer) -> list[schema.Kpi]:
    """The KPIs reported by at least one department ``viewer`` may see, in template order
    (worked out once per configuration and viewer: every lookup asks)."""
    return list(_VISIBLE.get(config, viewer, lambda: _visible_kpis(config, viewer)))


def _visible_kpis(config: Config, viewer: Viewer) -> list[schema.Kpi]:
    carried = {k for d in config.departments if viewer.may_see(d.key) for k in d.kpis}
    return [k for k in config.kpis if k.key in carried]


def visible_departments(config: Config, viewer: Viewer) -> list[schema.Department]:
    return [d for d in config.departments if viewer.may_see(d.key)]


def parse_query(config: Config, viewer: Viewer, text: str,
                today: Month | None = None) -> KpiQuery:
    """The request in ``text``, or a LookupProblem (PermissionDenied for a department the
    viewer may not see) that says what was wrong and what would work. A month typed without
    its year (``10月``, ``上月``) counts from ``today`` (the organization's month)."""
    words = _words(text)
    mode: Mode = "month"
    month: Month | None = None
    while words and (fold(words[-1]) in MODES or is_month_word(words[-1])):
        last = words.pop()
        if fold(last) in MODES:
            if mode != "month":
                raise LookupProblem(_("Ask for `ytd` or `trend`, not both."))
            mode = MODES[fold(last)]
            continue
        if month is not None:
            raise LookupProblem(_("Give one month only."))
        if needs_year(last) and words and is_year_word(words[-1]):
            last = words.pop() + last  # 2026年 10月
        month = _month(last, today or Month.of(date.today()))
    if not words:
        if mode != "month" or month is not None:
            raise LookupProblem(_("Name a KPI first, e.g. `/kpi revenue ytd`."))
        return KpiQuery("list")
    kpi, department = _split(config, viewer, words)
    return KpiQuery(mode, kpi, department, month)


def _words(text: str) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError:  # an unbalanced quote: take the words as they are
        return text.replace('"', " ").replace("'", " ").split()


def _month(text: str, today: Month) -> Month:
    try:
        return month_of(text, today)
    except ValueError:
        raise LookupProblem(_("{typed} is not a month; write it as YYYY-MM, e.g. 2026-09.",
                              typed=echo(fold(text)))) from None


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
        ways = pgettext("readings separator", "; ").join(
            _("{kpi}, {department}", kpi=kpi.name, department=department.name)
            for kpi, department in list(readings.values())[:_READINGS_SHOWN])
        raise LookupProblem(_("“{typed}” reads more than one way ({readings}); which one? Put a "
                              "space between the KPI and the department.", typed=echo(word),
                              readings=ways))
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
            raise LookupProblem(_("{department} does not report {kpi}. It reports:",
                                  department=department.name, kpi=kpi.name), carried)
        return department
    if not found:
        elsewhere = find(words, [Named(d.key, d.name) for d in config.departments])
        if elsewhere:
            names = listed(config.department_by_key[k].name for k in viewer.managed)
            raise PermissionDenied(_(
                "Sorry, you can look up your own departments only ({names}, and the "
                "departments under them); {department} is not one of them.", names=names,
                department=elsewhere[0].name))
    raise _unclear("department", words, found, f"/kpi {kpi.key}", mine)


# What a word that names several things, or nothing, is told, by what it was to name.
_SEVERAL = {"KPI": N_("“{typed}” could be more than one KPI; which one?"),
            "department": N_("“{typed}” could be more than one department; which one?")}
_NONE_SEEN = {"KPI": N_("No KPI you can look up is called “{typed}”. Try one of these, e.g. "
                        "`{example}`:"),
              "department": N_("No department you can look up is called “{typed}”. Try one of "
                               "these, e.g. `{example}`:")}
_NONE = {"KPI": N_("No KPI is called “{typed}”."),
         "department": N_("No department is called “{typed}”.")}


def _unclear(what: str, words: str, found: list[Named], example: str,
             choices: list[Named]) -> LookupProblem:
    typed = echo(words)
    if found:
        return LookupProblem(_(_SEVERAL[what], typed=typed), found, what)
    if not choices:
        return LookupProblem(_(_NONE[what], typed=typed), choices, what)
    first = " ".join((example, choices[0].key))
    return LookupProblem(_(_NONE_SEEN[what], typed=typed, example=first), choices, what)
