"""The figures a department shows: its own, rolled up from its children, or derived by formula."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from summaries.config.memo import PerConfig
from summaries.config.schema import Config, Kpi
from summaries.engine.targets import accumulate
from summaries.formulas import Formula

# Stored figures by (department, KPI), then by month ("YYYY-MM").
FigureTable = Mapping[tuple[str, str], Mapping[str, Decimal]]
# The source of figures that were not submitted ("imported"), by (department, KPI, month).
SourceTable = Mapping[tuple[str, str, str], str]
# A department tree: children by department, the stored KPIs each one or its descendants
# report, and the months each department exists (from, until; None: open-ended).
Life = dict[str, tuple[str | None, str | None]]
# Dated parents: for a department that moved, (from month, parent) pairs, oldest first.
Moves = dict[str, tuple[tuple[str, str | None], ...]]
Structure = tuple[dict[str, list[str]], dict[str, set[str]], Life, Moves,
                  Mapping[str, Iterable[str]]]
# Trees of the configurations in use, by root.
_STRUCTURES: PerConfig[str | None, Structure] = PerConfig(8)


class FigureBook:
    """Shown values per department, KPI and month, computed on demand and remembered.

    A department with children shows the aggregate of its children (``sum`` and ``last`` KPIs
    add up, ``mean`` KPIs average) unless it reported its own figure. Missing is never zero:
    the aggregate exists only once every child carrying the KPI has a value (``coverage`` says
    how many have). A derived KPI applies its formula to the shown values of its inputs, so a
    parent's ratio is a ratio of rolled-up sums.
    """

    def __init__(self, kpis: Iterable[Kpi], parents: Mapping[str, str | None],
                 figures: FigureTable, sources: SourceTable | None = None,
                 reports: Mapping[str, Iterable[str]] | None = None, *,
                 structure: Structure | None = None, life: Life | None = None,
                 moves: Moves | None = None) -> None:
        self.kpis = {k.key: k for k in kpis}
        self._formulas = formulas_of(self.kpis.values())
        self._figures = figures
        self._sources = sources or {}
        if structure is not None:  # shared with other books: never changed after this
            self.children, self._carries, self._life, self._moves, self._reports = structure
        else:
            self._life, self._moves, self._reports = life or {}, moves or {}, reports or {}
            self.children = _children_of(parents)
            self._carries = self._carried(self.children, self._reports)
        self._trees: dict[str, tuple[dict[str, list[str]], dict[str, set[str]]]] = {}
        self._rolled: dict[tuple[str, str, str], Decimal | None] = {}
        self._carrying_cache: dict[tuple[str, str, str | None], list[str]] = {}

    @classmethod
    def for_config(cls, config: Config, figures: FigureTable,
                   sources: SourceTable | None = None,
                   root: str | None = None) -> FigureBook:
        """The book of an organization's departments; ``root`` names a parent of the top ones.

        The tree and what each department carries are worked out once per configuration:
        a lookup builds a book for every request.
        """
        structure = _STRUCTURES.get(config, root, lambda: cls._structure(config, root))
        return cls(config.kpis, {}, figures, sources, structure=structure)

    @classmethod
    def _structure(cls, config: Config, root: str | None) -> Structure:
        parents: dict[str, str | None] = {d.key: d.parent_key or root
                                          for d in config.departments}
        if root is not None:
            parents[root] = None
        reports = {d.key: [k.key for k in config.kpis_of(d)] for d in config.departments}
        life = {d.key: (d.from_, d.until) for d in config.departments
                if d.from_ is not None or d.until is not None}
        moves = {d.key: tuple((m, p or root) for m, p in sorted(d.parent.items()))
                 for d in config.departments if isinstance(d.parent, dict)}
        book = cls(config.kpis, parents, {}, None, reports, life=life, moves=moves)
        return book.children, book._carries, book._life, book._moves, book._reports

    def _tree(self, month: str | None) -> tuple[dict[str, list[str]], dict[str, set[str]]]:
        """The tree in force in ``month``: the configured one, or with moved departments under
        the parent they had then (SPEC 4.2: every month rolls up with its own tree)."""
        if month is None or not self._moves:
            return self.children, self._carries
        found = self._trees.get(month)
        if found is None:
            parents: dict[str, str | None] = {
                dept: parent for parent, kids in self.children.items() for dept in kids}
            parents.update({d: None for d in self.children if d not in parents})
            for dept, dated in self._moves.items():
                in_force = [p for m, p in dated if m <= month] or [dated[0][1]]
                parents[dept] = in_force[-1]
            children = _children_of(parents)
            found = (children, self._carried(children, self._reports))
            self._trees[month] = found
        return found

    def _carried(self, tree: dict[str, list[str]],
                 reports: Mapping[str, Iterable[str]]) -> dict[str, set[str]]:
        """The stored KPIs each department or one of its descendants reports."""
        base: dict[str, set[str]] = {}
        for dept in tree:
            keys = set(reports.get(dept, ()))
            base[dept] = {b for key in keys for b in self.base_inputs(key)}
        done: dict[str, set[str]] = {}

        def visit(dept: str, seen: frozenset[str]) -> set[str]:
            if dept not in done:
                found = set(base[dept])
                for child in tree[dept]:
                    if child not in seen:
                        found |= visit(child, seen | {child})
                done[dept] = found
            return done[dept]

        for dept in tree:
            visit(dept, frozenset({dept}))
        return done

    def derived(self, kpi: str) -> bool:
        """Whether the KPI is worked out by a formula."""
        return kpi in self._formulas

    def base_inputs(self, kpi: str) -> set[str]:
        """The stored KPIs a KPI is made of (itself, unless it is derived)."""
        return stored_inputs(self._formulas, kpi)

    def value(self, dept: str, kpi: str, month: str) -> Decimal | None:
        """The value the department shows for ``kpi`` in ``month``, or None."""
        formula = self._formulas.get(kpi)
        if formula is not None:
            return formula.evaluate({k: self.value(dept, k, month) for k in formula.inputs})
        own = self._figures.get((dept, kpi))
        if own is not None and month in own:
            return own[month]
        if not self._tree(month)[0].get(dept):
            return None
        key = (dept, kpi, month)
        if key not in self._rolled:
            self._rolled[key] = self._roll_up(dept, kpi, month)
        return self._rolled[key]

    def values(self, dept: str, kpi: str, months: Sequence[str]) -> list[Decimal | None]:
        """:meth:`value` for each of ``months``; a department without children in any month's
        tree shows its own figures of a stored KPI, read without the general path."""
        if not self._moves and kpi not in self._formulas and not self.children.get(dept):
            own = self._figures.get((dept, kpi))
            return [own.get(m) for m in months] if own is not None else [None] * len(months)
        return [self.value(dept, kpi, m) for m in months]

    def _roll_up(self, dept: str, kpi: str, month: str) -> Decimal | None:
        present = []
        figures, children = self._figures, self._tree(month)[0]
        for child in self._carrying(dept, kpi, month):
            if children[child]:
                value = self.value(child, kpi, month)
            else:  # a leaf shows its own figure: read it without the general path
                own = figures.get((child, kpi))
                value = own.get(month) if own is not None else None
            if value is None:
                return None
            present.append(value)
        if not present:
            return None
        total = sum(present, Decimal(0))
        spec = self.kpis.get(kpi)
        return total / len(present) if spec is not None and spec.accumulate == "mean" else total

    def source(self, dept: str, kpi: str, month: str) -> str | None:
        """Where a shown value comes from: submitted, imported, rollup or derived."""
        return self._source(dept, kpi, month, self.value(dept, kpi, month))

    def _source(self, dept: str, kpi: str, month: str, value: Decimal | None) -> str | None:
        if value is None:
            return None
        if kpi in self._formulas:
            return "derived"
        own = self._figures.get((dept, kpi))
        if own is not None and month in own:
            return self._sources.get((dept, kpi, month), "submitted")
        return "rollup"

    def shown(self, dept: str, kpi: str, month: str
              ) -> tuple[Decimal | None, str | None, tuple[int, int] | None]:
        """The value, its source and, for a roll-up, its coverage, in one go."""
        value = self.value(dept, kpi, month)
        coverage = self.coverage(dept, kpi, month) if self._tree(month)[0].get(dept) else None
        return value, self._source(dept, kpi, month, value), coverage

    def coverage(self, dept: str, kpi: str, month: str) -> tuple[int, int] | None:
        """For a roll-up: how many of the children carrying the KPI have a value, of how many."""
        own = self._figures.get((dept, kpi))
        if kpi in self._formulas or (own is not None and month in own):
            return None
        carrying = self._carrying(dept, kpi, month)
        if not carrying:
            return None
        have = sum(1 for c in carrying if self.value(c, kpi, month) is not None)
        return have, len(carrying)

    def _carrying(self, dept: str, kpi: str, month: str | None = None) -> list[str]:
        """The children that (or whose descendants) report ``kpi``; with ``month``, those that
        exist in it (a roll-up waits only for them, SPEC 4.2)."""
        key = (dept, kpi, month if self._moves else None)
        found = self._carrying_cache.get(key)
        if found is None:
            children, carries = self._tree(month)
            found = [c for c in children.get(dept, ()) if kpi in carries.get(c, ())]
            self._carrying_cache[key] = found
        if month is None or not self._life:
            return found
        return [c for c in found if self.exists(c, month)]

    def exists(self, dept: str, month: str) -> bool:
        """Whether ``dept`` exists in ``month`` by its configured life."""
        start, end = self._life.get(dept, (None, None))
        return (start is None or start <= month) and (end is None or month <= end)

    def missing_inputs(self, dept: str, kpi: str, month: str) -> tuple[str, ...]:
        """For a derived KPI: the inputs without a value this month."""
        formula = self._formulas.get(kpi)
        if formula is None:
            return ()
        return tuple(sorted(k for k in formula.inputs if self.value(dept, k, month) is None))

    def ytd(self, dept: str, kpi: str, months: Sequence[str]) -> Decimal | None:
        """Year to date over ``months`` by the KPI's rule; a derived KPI over its inputs' ytd."""
        formula = self._formulas.get(kpi)
        if formula is not None:
            return formula.evaluate({k: self.ytd(dept, k, months) for k in formula.inputs})
        spec = self.kpis.get(kpi)
        rule = spec.accumulate if spec is not None else "sum"
        if not self.children.get(dept):  # a department without children: its own figures
            own = self._figures.get((dept, kpi))
            return accumulate([own.get(m) for m in months] if own else [], rule)
        return accumulate([self.value(dept, kpi, m) for m in months], rule)

    def carries(self, dept: str, kpi: str, month: str | None = None) -> bool:
        """Whether the department or one of its descendants (in ``month``'s tree, when given)
        reports the KPI's inputs."""
        return bool(self.base_inputs(kpi) & self._tree(month)[1].get(dept, set()))

    def children_total(self, dept: str, kpi: str, month: str) -> Decimal | None:
        """What ``dept``'s children add up to in ``month``, whatever its own figure says."""
        if kpi in self._formulas:
            return None
        return self._roll_up(dept, kpi, month)

    def children_in(self, dept: str, month: str | None = None) -> list[str]:
        """The department's children in ``month``'s tree (the configured one without it)."""
        return self._tree(month)[0].get(dept, [])


def _children_of(parents: Mapping[str, str | None]) -> dict[str, list[str]]:
    """Children by department, in the order of ``parents``."""
    children: dict[str, list[str]] = {key: [] for key in parents}
    for key, parent in parents.items():
        if parent is not None and parent in children:
            children[parent].append(key)
    return children


def formulas_of(kpis: Iterable[Kpi]) -> dict[str, Formula]:
    """The parsed formula of every derived KPI, by key."""
    return {k.key: f for k in kpis if (f := k.parsed_formula) is not None}


def stored_inputs(formulas: Mapping[str, Formula], kpi: str, depth: int = 0) -> set[str]:
    """The stored KPIs a KPI is made of: itself, or its formula's inputs, all the way down."""
    formula = formulas.get(kpi)
    if formula is None or depth > len(formulas):  # cycles are refused at config load
        return {kpi}
    return {b for key in formula.inputs for b in stored_inputs(formulas, key, depth + 1)}
