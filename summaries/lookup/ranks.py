"""Where a department stands among its siblings for a ``/kpi`` answer, as the digest ranks it.

The digest ranks every department of a month at once (``rank_siblings``); a lookup ranks
only the groups it shows: the department among its siblings, and the departments right below
it (not a top-level department among the others). The answer's engine reads the figures and
targets of those groups too (:func:`reach`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from summaries.config import schema as schema
from summaries.config.memo import PerConfig
from summaries.config.schema import Config
from summaries.config.tree import reachable
from summaries.engine.cell import Cell
from summaries.engine.cells import Engine, rank_siblings
from summaries.engine.targets import attainment
from summaries.periods import Month

Rank = tuple[int, int]  # place (1 = best) and how many were ranked


def group(config: Config, kpi: schema.Kpi, parent: str | None, month: Month) -> list[str]:
    """The departments ranked together under ``parent`` (None: the top level) in ``month``:
    those that exist then, have that parent then, and report the KPI."""
    return [d.key for d in _tree(config, str(month)).under.get(parent, ())
            if kpi.key in d.kpis]


def ranked_with(config: Config, kpi: schema.Kpi, department: schema.Department,
                month: Month) -> list[str]:
    """The departments a lookup of ``department`` ranks: it and its siblings under its parent
    of that month, and those right below it; none for a KPI with no better direction.

    A top-level department is not placed among the other top-level ones here: that would
    read the whole organization's month for one answer (the digest, which reads it anyway,
    ranks them).
    """
    if kpi.better == "none":
        return []
    parent = department.parent_in(str(month))
    siblings = group(config, kpi, parent, month) if parent is not None else []
    return [*siblings, *group(config, kpi, department.key, month)]


def reach(config: Config, keys: Iterable[str], month: Month) -> set[str]:
    """``keys`` and every department below them, in ``month``'s tree or today's: whose figures
    and targets a roll-up of ``keys`` may read."""
    return reachable(_tree(config, str(month)).reach, keys)


@dataclass(frozen=True)
class _Tree:
    """A month's tree: the departments that exist then under each parent (None: the top
    level), in configuration order; and each department's children then or today."""

    under: dict[str | None, tuple[schema.Department, ...]]
    reach: dict[str, frozenset[str]]
    parents: dict[str, str | None]  # every department's parent then


_TREES: PerConfig[str, _Tree] = PerConfig(64)


def _tree(config: Config, period: str) -> _Tree:
    """``period``'s tree, worked out once per configuration and month (lookups ask for it on
    every request)."""
    return _TREES.get(config, period, lambda: _month_tree(config, period))


def _month_tree(config: Config, period: str) -> _Tree:
    under: dict[str | None, list[schema.Department]] = {}
    for d in config.departments_in(period):
        under.setdefault(d.parent_in(period), []).append(d)
    reach: dict[str, set[str]] = {}
    for d in config.departments:
        for parent in {d.parent_key, d.parent_in(period)} - {None}:
            reach.setdefault(str(parent), set()).add(d.key)
    return _Tree({key: tuple(found) for key, found in under.items()},
                 {key: frozenset(below) for key, below in reach.items()},
                 {d.key: d.parent_in(period) for d in config.departments})


def rank_cells(engine: Engine, config: Config, kpi: schema.Kpi, month: Month,
               members: Collection[str]) -> dict[str, Rank]:
    """The places of ``members`` by attainment of ``kpi`` in ``month``, each among those of
    them that share its parent (see :func:`summaries.engine.cells.rank_siblings`); those
    without an attainment, or in a group of fewer than two, are not ranked."""
    period = str(month)
    cells = [_attainment_cell(engine, key, kpi, period) for key in set(members)]
    rank_siblings(cells, _tree(config, period).parents, config.kpi_by_key)
    return {c.department: (c.rank, c.rank_of) for c in cells
            if c.rank is not None and c.rank_of is not None}


def _attainment_cell(engine: Engine, key: str, kpi: schema.Kpi, period: str) -> Cell:
    """A cell with what ranking reads: the actual against the monthly target."""
    actual, source, coverage = engine.book.shown(key, kpi.key, period)
    cell = Cell(key, kpi.key, period, actual, source, coverage=coverage)
    monthly = engine.monthly_target(key, kpi, period)
    if monthly is not None:
        cell.target = monthly[0]
        cell.attainment = attainment(actual, cell.target)
    return cell
