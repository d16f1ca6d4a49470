"""Keep stored departments, KPIs and configured targets in step with the configuration."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from summaries.config.schema import Config, TargetSpec
from summaries.store.models import Department, Kpi
from summaries.store.targets import TargetValue, record_target


@dataclass(frozen=True)
class Catalog:
    """Stored ids of the configured departments and KPIs, by key."""

    department_ids: dict[str, int]
    kpi_ids: dict[str, int]


def sync_config(session: Session, config: Config) -> Catalog:
    """Upsert departments and KPIs by key (never deleting history) and record config targets."""
    departments = {d.key: d for d in session.scalars(select(Department))}
    for position, spec in enumerate(config.departments):
        row = departments.get(spec.key) or Department(key=spec.key)
        row.name, row.parent_key, row.manager_id = spec.name, spec.parent_key, spec.manager
        row.position, row.active = position, True
        departments[spec.key] = row
        session.add(row)
    for key, row in departments.items():
        if key not in config.department_by_key:
            row.active = False
    kpis = {k.key: k for k in session.scalars(select(Kpi))}
    for position, kspec in enumerate(config.kpis):
        krow = kpis.get(kspec.key) or Kpi(key=kspec.key)
        krow.name, krow.unit, krow.decimals = kspec.name, kspec.unit, kspec.decimals
        krow.better, krow.accumulate, krow.formula = kspec.better, kspec.accumulate, kspec.formula
        krow.position, krow.active = position, True
        kpis[kspec.key] = krow
        session.add(krow)
    for key, krow in kpis.items():
        if key not in config.kpi_by_key:
            krow.active = False
    session.flush()
    catalog = Catalog({k: d.id for k, d in departments.items()}, {k: r.id for k, r in kpis.items()})
    for target in config.targets:
        for value in target_values(target, catalog):
            record_target(session, value, source="config")
    return catalog


def load_catalog(session: Session) -> Catalog:
    """Ids of every stored department and KPI, by key."""
    return Catalog(
        dict(session.execute(select(Department.key, Department.id)).tuples().all()),
        dict(session.execute(select(Kpi.key, Kpi.id)).tuples().all()),
    )


def target_values(spec: TargetSpec, catalog: Catalog) -> list[TargetValue]:
    """The stored form of one configured target (two rows for a max-and-min entry)."""
    kpi_id = catalog.kpi_ids[spec.kpi]
    dept_id = catalog.department_ids[spec.department] if spec.department else None
    if spec.target is not None:
        return [TargetValue("monthly", kpi_id, dept_id, spec.month, None, spec.target,
                            spec.stretch)]
    if spec.annual is not None:
        phasing = tuple(spec.phasing) if spec.phasing is not None else None
        # A revised plan's ``from``: the month it takes effect (None: the whole year).
        return [TargetValue("annual", kpi_id, dept_id, spec.from_, spec.year, spec.annual,
                            phasing=phasing)]
    limits = [("max", spec.max), ("min", spec.min)]
    return [TargetValue(kind, kpi_id, dept_id, spec.from_, None, value)
            for kind, value in limits if value is not None]
