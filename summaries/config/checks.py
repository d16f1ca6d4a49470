"""Checks across the parts of a configuration: references, duplicates, cycles, calendars."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import ValidationError

from summaries.config.schema import (
    Away,
    Config,
    Department,
    Kpi,
    Organization,
    Section,
    TargetSpec,
)
from summaries.config.timing import HolidayCalendar
from summaries.config.yamlsource import format_path
from summaries.errors import Problem
from summaries.formulas import dependency_cycle
from summaries.i18n import _

if TYPE_CHECKING:
    from summaries.config.yamlsource import LineMap
    from summaries.config.yamlsource import Path as NodePath


class Reporter(Protocol):
    def add(self, path: NodePath, message: str) -> None: ...


def cross_check(
    report: Reporter,
    data: dict[str, Any],
    organization: Organization | None,
    sections: list[tuple[int, Section]],
    kpis: list[tuple[int, Kpi]],
    departments: list[tuple[int, Department]],
    targets: list[tuple[int, TargetSpec]],
) -> None:
    """Report every reference, duplicate and cycle problem across the file's parts."""
    # Keys of entries that failed their own validation still count as known, so one mistake
    # does not cascade into "unknown" messages elsewhere.
    section_keys = _raw_keys(data, "sections")
    kpi_keys = _raw_keys(data, "kpis")
    department_keys = _raw_keys(data, "departments")
    for name in ("sections", "kpis", "departments"):
        _check_duplicates(report, data, name)
    _check_departments(report, departments, section_keys, kpi_keys, department_keys)
    _check_formulas(report, kpis, kpi_keys)
    _check_targets(report, targets, departments, kpi_keys, department_keys)
    # From the raw data when the organization has another mistake: report everything at once.
    raw_org = data.get("organization")
    timezone = organization.timezone if organization is not None else (
        raw_org.get("timezone") if isinstance(raw_org, dict) else None)
    if isinstance(timezone, str):
        _check_timezone(report, timezone)
    _check_holidays(report, data)


def check_away(report: Reporter, away: list[tuple[int, Away]],
                departments: list[tuple[int, Department]]) -> None:
    """Each absence is a department manager's, and one manager's absences do not overlap
    (which deputy would act on a day both cover?)."""
    managers = {dept.manager for _index, dept in departments}
    earlier: dict[str, list[tuple[int, Away]]] = {}
    for index, entry in away:
        if managers and entry.manager not in managers:
            report.add(("away", index, "manager"),
                       _("{manager} manages no department", manager=entry.manager))
        for other_index, other in earlier.get(entry.manager, []):
            if entry.from_ <= other.until and other.from_ <= entry.until:
                report.add(("away", index, "from"), _(
                    "overlaps away[{index}] ({start} to {end})", index=other_index,
                    start=other.from_, end=other.until))
                break
        earlier.setdefault(entry.manager, []).append((index, entry))


def _raw_keys(data: dict[str, Any], name: str) -> set[str]:
    items = data.get(name)
    if not isinstance(items, list):
        return set()
    return {item["key"] for item in items
            if isinstance(item, dict) and isinstance(item.get("key"), str)}


def _check_duplicates(report: Reporter, data: dict[str, Any], name: str) -> None:
    items = data.get(name)
    if not isinstance(items, list):
        return
    seen: Counter[str] = Counter()
    for index, item in enumerate(items):
        key = item.get("key") if isinstance(item, dict) else None
        if isinstance(key, str):
            seen[key] += 1
            if seen[key] == 2:
                report.add((name, index, "key"), _("duplicate key {key}", key=repr(key)))


def _check_departments(
    report: Reporter,
    departments: list[tuple[int, Department]],
    section_keys: set[str],
    kpi_keys: set[str],
    department_keys: set[str],
) -> None:
    parents: dict[str, str] = {}
    index_of: dict[str, int] = {}
    for index, dept in departments:
        index_of[dept.key] = index
        for i, key in enumerate(dept.kpis):
            if key not in kpi_keys:
                report.add(("departments", index, "kpis", i),
                           _("unknown KPI {key}", key=repr(key)))
            elif key in dept.kpis[:i]:
                report.add(("departments", index, "kpis", i),
                           _("KPI {key} listed twice", key=repr(key)))
        listed = [("required", dept.required)] + (
            [("own_figures", dept.own_figures)] if isinstance(dept.own_figures, list) else [])
        for field, keys in listed:
            for i, key in enumerate(keys):
                if key not in dept.kpis:
                    report.add(("departments", index, field, i), _(
                        "{key} is not one of this department's KPIs", key=repr(key)))
        for i, key in enumerate(dept.sections or []):
            if key not in section_keys:
                report.add(("departments", index, "sections", i),
                           _("unknown section {key}", key=repr(key)))
            elif key in (dept.sections or [])[:i]:
                report.add(("departments", index, "sections", i),
                           _("section {key} listed twice", key=repr(key)))
        dated: dict[str, str | None] = (dict(dept.parent) if isinstance(dept.parent, dict)
                                        else {"": dept.parent})
        for month, parent in dated.items():
            where: tuple[str | int, ...] = ("departments", index, "parent",
                                            *([month] if month else []))
            if parent is None:
                continue
            if parent == dept.key:
                report.add(where, _("a department cannot be its own parent"))
            elif parent not in department_keys:
                report.add(where, _("unknown department {key}", key=repr(parent)))
            elif parent == dept.parent_key:
                parents[dept.key] = parent  # cycles: checked in the tree in force now
    reported: set[str] = set()
    for start in parents:
        chain = [start]
        while (nxt := parents.get(chain[-1])) is not None and nxt not in chain:
            chain.append(nxt)
        if nxt is not None and nxt == start and start not in reported:
            reported.update(chain)
            report.add(("departments", index_of[start], "parent"),
                       _("parent cycle: {cycle}", cycle=" -> ".join([*chain, start])))


def _check_targets(
    report: Reporter,
    targets: list[tuple[int, TargetSpec]],
    departments: list[tuple[int, Department]],
    kpi_keys: set[str],
    department_keys: set[str],
) -> None:
    reported_by = {dept.key: set(dept.kpis) for _index, dept in departments}
    first_at: dict[tuple[object, ...], int] = {}
    for index, spec in targets:
        if spec.kpi not in kpi_keys:
            report.add(("targets", index, "kpi"), _("unknown KPI {key}", key=repr(spec.kpi)))
        elif spec.department is not None and spec.department not in department_keys:
            report.add(("targets", index, "department"),
                       _("unknown department {key}", key=repr(spec.department)))
        elif spec.department in reported_by and spec.kpi not in reported_by[spec.department]:
            report.add(("targets", index, "kpi"), _(
                "{department} does not report KPI {key} (add it to the department's kpis)",
                department=spec.department, key=repr(spec.kpi)))
        kinds = [spec.kind] if spec.kind != "limit" else [
            kind for kind, value in (("max", spec.max), ("min", spec.min)) if value is not None]
        for kind in kinds:
            identity = (kind, spec.kpi, spec.department, spec.month, spec.year, spec.from_)
            if identity in first_at:
                report.add(("targets", index),
                           _("duplicate of targets[{index}]", index=first_at[identity]))
            else:
                first_at[identity] = index


def _check_formulas(report: Reporter, kpis: list[tuple[int, Kpi]], kpi_keys: set[str]) -> None:
    graph: dict[str, frozenset[str]] = {}
    index_of: dict[str, int] = {}
    for index, kpi in kpis:
        formula = kpi.parsed_formula
        if formula is None:
            continue
        index_of[kpi.key] = index
        graph[kpi.key] = formula.inputs
        for name in sorted(formula.inputs - kpi_keys):
            report.add(("kpis", index, "formula"),
                       _("unknown KPI {key} in formula", key=repr(name)))
        if kpi.key in formula.inputs:
            report.add(("kpis", index, "formula"), _("a formula cannot use its own KPI"))
    cycle = dependency_cycle({k: v - {k} for k, v in graph.items()})
    if cycle:
        report.add(("kpis", index_of[cycle[0]], "formula"),
                   _("formula cycle: {cycle}", cycle=" -> ".join(cycle)))


def _check_timezone(report: Reporter, name: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        report.add(("organization", "timezone"), _("unknown time zone {name}", name=repr(name)))


def _check_holidays(report: Reporter, data: dict[str, Any]) -> None:
    # Read from the raw data, so a mistake elsewhere in the schedule does not hide this one.
    raw = data.get("schedule")
    raw = raw.get("holidays") if isinstance(raw, dict) else None
    try:
        calendar = HolidayCalendar.model_validate(raw or {})
    except ValidationError:
        return
    if calendar.country is None:
        if calendar.subdivision is not None:
            report.add(("schedule", "holidays", "subdivision"),
                       _("a subdivision needs a country"))
        return
    import holidays  # a large package, needed only when a country is set

    supported: dict[str, list[str]] = holidays.list_supported_countries()
    if calendar.country not in supported:
        report.add(("schedule", "holidays", "country"), _(
            "unknown holiday country {country} (use an ISO code such as CN)",
            country=repr(calendar.country)))
    elif calendar.subdivision is not None and calendar.subdivision not in supported[
            calendar.country]:
        report.add(("schedule", "holidays", "subdivision"), _(
            "unknown subdivision {subdivision} of {country}",
            subdivision=repr(calendar.subdivision), country=calendar.country))


def history_warnings(config: Config, lines: LineMap, first_stored: Mapping[str, str]
                     ) -> list[Problem]:
    """Departments without ``from`` whose stored history begins after the organization's.

    ``first_stored`` gives, by department key, the first month with a stored figure or
    summary. A department counts from its own first month or that of any department below
    it; one that begins later than the organization's history and has no ``from`` is taken
    to have existed all along, so the months before it roll up waiting for it (SPEC 4.2).
    Each warning is at the department's line, field ``from``.
    """
    known = {k: m for k, m in first_stored.items() if k in config.department_by_key}
    if not known:
        return []
    start = min(known.values())
    found = []
    for index, dept in enumerate(config.departments):
        months = [known[k] for k in config.descendants(dept.key) if k in known]
        if dept.from_ is not None or not months or min(months) <= start:
            continue
        begins = min(months)
        where: NodePath = ("departments", index, "from")
        found.append(Problem(
            config.source, lines.line(where), format_path(where),
            _("{department} has stored figures or summaries from {begins} only (the "
              "organization's go back to {start}), and no from: the months before {begins} "
              "roll up waiting for it; add `from: {begins}` if it began then",
              department=dept.key, begins=begins, start=start)))
    return found
