"""Figures far from last month's, asked about once before they are stored (SPEC 5.3).

A figure ten times last month's is nearly always a slipped digit or a unit typed twice
(``499.31万`` as ``4993100万``); once in the digest, it shows as leadership's biggest problem
or success. The form therefore asks the manager to confirm such figures, and stores nothing
until they do. Percentage KPIs are judged the same way, by the ratio of their points: their
typical slip (``0.034`` for 3.4%) is exactly a hundredfold.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from summaries.checkins.evaluation import load_figures
from summaries.checkins.hints import kpi_hints
from summaries.config import schema as schema
from summaries.config.schema import Config
from summaries.periods import Month


@dataclass(frozen=True)
class Implausible:
    """A figure more than ``rules.plausibility`` times above or below last month's."""

    kpi: schema.Kpi
    value: Decimal
    previous: Decimal

    @property
    def ratio(self) -> Decimal:
        """This month's figure over last month's (last month's is never zero here)."""
        return self.value / self.previous


def implausible(factor: Decimal, kpis: Mapping[str, schema.Kpi],
                figures: Mapping[str, Decimal | None],
                previous: Mapping[str, Decimal | None]) -> list[Implausible]:
    """The ``figures`` more than ``factor`` times above or below ``previous`` of the same KPI,
    in the order given. A KPI without last month's figure, or with zero, has nothing to be
    compared with; a figure of the other sign than last month's is off by any factor."""
    found = []
    for key, value in figures.items():
        before = previous.get(key)
        kpi = kpis.get(key)
        if value is None or not before or kpi is None:
            continue
        ratio = value / before
        if ratio > factor or ratio < 1 / factor:
            found.append(Implausible(kpi, value, before))
    return found


def read_implausible(session: Session, config: Config, month: Month,
                     department: schema.Department,
                     figures: Mapping[str, Decimal | None]) -> list[Implausible]:
    """The figures of ``department``'s form of ``month`` to confirm: far from last month's and
    not already stored as they are (a confirmed figure is not asked about again on an edit)."""
    keys = [k for k, v in figures.items() if v is not None and k in config.kpi_by_key]
    if not keys:
        return []
    stored, _sources = load_figures(session, month, month, {department.key}, keys)
    changed = {k: figures[k] for k in keys
               if stored.get((department.key, k), {}).get(str(month)) != figures[k]}
    kpis = {k: config.kpi_by_key[k] for k in changed}
    hints = kpi_hints(session, config, month, department, list(kpis.values()))
    return implausible(config.rules.plausibility, kpis, changed,
                       {k: h.previous for k, h in hints.items()})


def fingerprint(found: list[Implausible]) -> str:
    """A short mark of exactly these figures, so a confirmation covers only what was shown:
    a figure changed in another window since is asked about again."""
    text = ";".join(sorted(f"{f.kpi.key}={f.value.normalize()}" for f in found))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class Unconfirmed(Exception):
    """Figures to confirm before the form is stored: raised in the submission's unit of work,
    so nothing of it is kept; ``mark`` is what the manager's confirmation must carry."""

    def __init__(self, found: list[Implausible]) -> None:
        super().__init__(", ".join(f.kpi.key for f in found))  # for logs: the KPIs asked
        self.found = found
        self.mark = fingerprint(found)


def confirm_plausible(session: Session, config: Config, month: Month,
                      department: schema.Department, figures: Mapping[str, Decimal | None],
                      confirmed: str | None) -> None:
    """Raise :class:`Unconfirmed` unless every implausible figure among ``figures`` is one
    the manager confirmed (``confirmed``: the fingerprint their confirmation carried)."""
    found = read_implausible(session, config, month, department, figures)
    if found and fingerprint(found) != confirmed:
        raise Unconfirmed(found)
