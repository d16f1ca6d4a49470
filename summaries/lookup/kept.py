"""The latest month worked out once for ``/kpi``: every department's and KPI's figures and
targets read together, and the cells evaluated once and kept while nothing changes.

A lookup of one KPI reads that KPI's figures of every department in scope over the months a
comparison looks back on (for a leader's overview: the whole organization, a year and more)
and rolls them up; that is most of its time. Most lookups ask about the latest month. So that
month is read once for every KPI and department (:meth:`KeptMonth.read`), the cells leaders'
overviews show are evaluated at once (:meth:`KeptMonth.prepare`), and every other cell is
kept the first time it is asked for. The input stamp and the configuration's fingerprint it was
read under say whether it is still current (:mod:`summaries.store.stamps`): the caller drops it
when either moved on.

The cells are those a lookup's own reads give: an engine over every department computes each
department's cell from the same figures and targets (its own and those below it) as one over
the departments in scope (the tests compare them for every form).
"""

from __future__ import annotations

import copy
import threading
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from summaries.checkins.evaluation import first_month_needed
from summaries.config.schema import Config, Kpi
from summaries.engine.cell import Cell
from summaries.engine.cells import Engine
from summaries.engine.figurebook import formulas_of, stored_inputs
from summaries.engine.report import ORGANIZATION, organization_cell, organization_engine
from summaries.lookup.reads import read_figures, read_targets
from summaries.periods import Month
from summaries.store.stamps import input_stamp


@dataclass
class KeptMonth:
    """One month's engine over every department and KPI, and the cells asked of it so far.
    Whatever reads the engine holds ``lock``: threads answering lookups share it."""

    month: Month
    stamp: int
    fingerprint: str
    engine: Engine
    _cells: dict[tuple[str, str], Cell] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)

    @classmethod
    def read(cls, session: Session, config: Config, month: Month) -> KeptMonth | None:
        """Read ``month``'s figures and targets for everything; None where the database keeps
        no input stamp (nothing could say when it goes stale)."""
        stamp = input_stamp(session)  # before the data: a later change leaves it behind
        if stamp is None:
            return None
        formulas = formulas_of(config.kpis)
        keys = {key for kpi in config.kpis for key in stored_inputs(formulas, kpi.key)}
        keys |= {kpi.key for kpi in config.kpis}
        figures, sources = read_figures(session, first_month_needed(config, month), month,
                                        keys, None)
        targets = read_targets(session, month.shift(1 - config.rules.streak_months), month,
                               config.organization.fiscal_year_start, keys, None)
        engine = organization_engine(config, figures, sources, targets)
        return cls(month, stamp, config.fingerprint, engine)

    def current(self, stamp: int | None, config: Config, month: Month) -> bool:
        """Whether this answers a lookup of ``month`` read under ``stamp`` and ``config``."""
        return (stamp == self.stamp and month == self.month
                and config.fingerprint == self.fingerprint)

    def prepare(self, config: Config) -> None:
        """Evaluate what leaders' overviews show (the organization and the top-level
        departments, for every KPI), so the first of them after a change is quick too."""
        tops = [d.key for d in config.departments if d.parent_key is None]
        for kpi in config.kpis:
            self.cell(config, ORGANIZATION, kpi)
            for key in tops:
                if kpi.key in config.department_by_key[key].kpis:
                    self.cell(config, key, kpi)

    def cell(self, config: Config, key: str, kpi: Kpi) -> Cell:
        """The cell of department ``key`` (or the organization) for ``kpi``: a copy, for the
        caller may place it among its siblings."""
        with self.lock:
            found = self._cells.get((key, kpi.key))
            if found is None:
                found = (organization_cell(self.engine, config, kpi, self.month)
                         if key == ORGANIZATION else self.engine.cell(key, kpi, self.month))
                self._cells[key, kpi.key] = found
        return copy.copy(found)


def stamp_now(session: Session) -> int | None:
    """The input stamp now (None: the database keeps none)."""
    return input_stamp(session)
