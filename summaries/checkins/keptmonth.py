"""Evaluate a month again only where its inputs changed since it was last evaluated.

Each department's result is kept (:mod:`summaries.store.kept`) with the department stamps it
was made under (:mod:`summaries.store.deptstamps`). A later read evaluates afresh the
departments whose stamp moved (or that have no result kept under the same configuration, code
and state of the month) and every department above them, whose roll-ups they feed; the others'
results are read back as they were. The siblings' ranks are worked out again over all of them,
and the organization's headline figures afresh. The result is the report a whole evaluation
gives (``tests/summaries/checkins/test_kept_month.py`` compares them).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from summaries.checkins.evaluation import (
    first_month_needed,
    is_closed,
    keys_by_id,
    load_figures,
    load_inputs,
    load_summaries,
    load_targets,
    months_needed,
)
from summaries.config.schema import Config
from summaries.config.tree import reachable
from summaries.engine.cells import rank_siblings
from summaries.engine.figurebook import formulas_of, stored_inputs
from summaries.engine.report import (
    DepartmentResult,
    PeriodInputs,
    PeriodReport,
    evaluate,
)
from summaries.periods import Month
from summaries.store.deptstamps import EVERYONE, read_department_stamps
from summaries.store.kept import KeptRow, Result, decode, encode, keep_rows, kept_rows
from summaries.store.models import Department

log = logging.getLogger(__name__)


@dataclass
class Keeping:
    """A read's order to reuse kept results, and what it evaluated afresh, to keep once the
    read is over (a read-only session cannot): ``code`` stamps the code that evaluates."""

    code: str
    period: str = ""
    key: str = ""
    rows: list[KeptRow] = field(default_factory=list)
    reused: int = 0


def keep_results(sessions: sessionmaker[Session], keeping: Keeping) -> None:
    """Keep what a read evaluated afresh (``keeping``), for the reads after it, in a
    transaction of its own: a database that refuses (busy, read-only, another reader keeping
    the same) only costs the next read their evaluation."""
    if not keeping.rows:
        return
    try:
        with sessions.begin() as session:
            keep_rows(session, keeping.period, keeping.key, keeping.rows)
    except SQLAlchemyError as problem:
        log.info("evaluated results not kept for %s: %s", keeping.period, problem)


def headline_inputs(config: Config) -> set[str]:
    """The stored KPIs the headline KPIs are made of (themselves, or their formulas' inputs)."""
    formulas = formulas_of(config.kpis)
    return {key for kpi in config.headline_kpis() for key in stored_inputs(formulas, kpi.key)}


def evaluate_kept(session: Session, config: Config, month: Month, *, closed: bool | None,
                  keeping: Keeping) -> tuple[PeriodInputs, PeriodReport]:
    """The month's report (``closed=None``: by the stored period's state), reusing the results
    kept for it that are still current; and the inputs read, which hold every department's
    headline figures (what the trend needs). ``keeping`` receives the results to keep."""
    period = str(month)
    if closed is None:
        closed = is_closed(session, month)
    key = hashlib.sha256("\0".join((config.fingerprint, keeping.code, period,
                                    str(closed))).encode()).hexdigest()
    # The stamps before the data: a change made meanwhile is evaluated again next time.
    ids = keys_by_id(session, Department)
    by_id = read_department_stamps(session)
    everyone = by_id.get(EVERYONE, 0)
    stamps = {ids[i]: n for i, n in by_id.items() if i in ids}
    kept = kept_rows(session, period, key)
    present = [d.key for d in config.departments_in(period)]
    stale = {d for d in present if not _current(kept.get(d), stamps.get(d, 0), everyone)}
    if len(stale) == len(present):  # nothing to reuse: the whole month, as it always is read
        affected = set(present)
        inputs = load_inputs(session, config, month)
    else:
        affected = set(present) & _related(config, stale, up=True)
        inputs = _load_for(session, config, month, affected)
    fresh = evaluate(config, month, inputs, closed=closed, departments=affected)
    keeping.period, keeping.key, keeping.reused = period, key, len(present) - len(affected)
    keeping.rows = [KeptRow(r.key, stamps.get(r.key, 0), everyone,
                            encode(Result(r.submission, r.answers, r.cells, r.flags)))
                    for r in fresh.departments]
    bodies = {row.department: row.body for row in keeping.rows}
    report = _spliced(config, month, fresh, {d: bodies.get(d) or kept[d].body for d in present})
    return inputs, report


def _current(row: KeptRow | None, stamp: int, everyone: int) -> bool:
    return row is not None and row.stamp == stamp and row.everyone == everyone


def _related(config: Config, keys: Iterable[str], *, up: bool) -> set[str]:
    """``keys`` and every department above them (``up``) or below them, under any parent a
    department has had: a month rolls up with its own tree (SPEC 4.2), so a department's
    figures of a year back may have fed a parent it has since left."""
    edges: dict[str, set[str]] = {}
    for dept in config.departments:
        parents = dept.parent.values() if isinstance(dept.parent, dict) else (dept.parent,)
        for parent in parents:
            if parent is not None:
                a, b = (dept.key, parent) if up else (parent, dept.key)
                edges.setdefault(a, set()).add(b)
    return reachable(edges, keys)


def _load_for(session: Session, config: Config, month: Month,
              affected: Collection[str]) -> PeriodInputs:
    """What evaluating ``affected`` and the headline reads: their and their descendants'
    figures and targets, every department's for the headline KPIs, and their summaries."""
    first, months = first_month_needed(config, month), months_needed(config, month)
    below = _related(config, affected, up=False)
    heads = headline_inputs(config)
    figures, sources = load_figures(session, first, month, kpis=heads, months=months)
    if below:
        own, own_sources = load_figures(session, first, month, below, months=months)
        figures, sources = {**figures, **own}, {**sources, **own_sources}
    start = config.organization.fiscal_year_start
    targets = {row.order: row for row in (
        *load_targets(session, first, month, start, departments=below),
        *load_targets(session, first, month, start,
                      kpis=heads | {k.key for k in config.headline_kpis()}))}
    return PeriodInputs(figures, sources, tuple(targets[n] for n in sorted(targets)),
                        *load_summaries(session, month, affected))


def _spliced(config: Config, month: Month, fresh: PeriodReport,
             bodies: dict[str, bytes]) -> PeriodReport:
    """The report of every department from its kept result (``bodies``: those just evaluated
    among them), ranked again all together, with ``fresh``'s headline. The results just
    evaluated are read back from what is kept of them too: every read builds a department's
    result alike, so a rendering made from one can tell it unchanged by its print
    (:mod:`summaries.digest.render.parts`) whether it was evaluated afresh or not."""
    results = []
    for spec in config.departments_in(str(month)):
        was = decode(bodies[spec.key])
        results.append(DepartmentResult(spec, was.submission, was.answers, was.cells, was.flags))
    cells = [c for r in results for c in r.cells]
    for cell in cells:
        cell.rank = cell.rank_of = None
    rank_siblings(cells, {d.key: d.parent_in(str(month)) for d in config.departments},
                  config.kpi_by_key)
    for result in results:  # its cells: those kept in its body, ranked anew
        ranks = repr([(c.rank, c.rank_of) for c in result.cells]).encode()
        result.cells_print = hashlib.blake2b(bodies[result.key] + ranks,
                                             digest_size=20).hexdigest()
    return PeriodReport(month, fresh.closed, results, fresh.headline)
