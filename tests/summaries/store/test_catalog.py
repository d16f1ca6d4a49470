from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from summaries.config.schema import Config
from summaries.imports.importers import import_targets
from summaries.store.catalog import sync_config
from summaries.store.models import Department, Kpi, Target
from summaries.store.targets import TargetValue, latest_row


def test_sync_is_idempotent(db: Session, config: Config) -> None:
    sync_config(db, config)
    db.commit()
    targets = db.scalar(select(func.count()).select_from(Target))
    sync_config(db, config)
    db.commit()
    assert db.scalar(select(func.count()).select_from(Target)) == targets
    assert db.scalar(select(func.count()).select_from(Department)) == len(config.departments)
    assert db.scalar(select(func.count()).select_from(Kpi)) == len(config.kpis)


def test_a_department_that_leaves_the_config_is_kept_inactive(
    db: Session, config: Config
) -> None:
    sync_config(db, config)
    db.commit()
    fewer = replace(config, departments=tuple(d for d in config.departments
                                              if d.key != "safety"),
                    targets=tuple(t for t in config.targets if t.department != "safety"))
    sync_config(db, fewer)
    db.commit()
    safety = db.scalars(select(Department).where(Department.key == "safety")).one()
    assert safety.active is False
    sync_config(db, config)
    assert safety.active is True


def test_resyncing_the_config_does_not_undo_an_imported_target(
    db: Session, config: Config
) -> None:
    catalog = sync_config(db, config)
    import_targets(db, config, "kpi,department,month,target,stretch\n"
                   "revenue,east-county,2026-10,2500000,2800000\n", filename="t.csv")
    sync_config(db, config)
    db.commit()
    wanted = TargetValue("monthly", catalog.kpi_ids["revenue"],
                         catalog.department_ids["east-county"], "2026-10", None, Decimal(0))
    current = latest_row(db, wanted)
    assert current is not None
    assert (current.value, current.source) == (Decimal("2500000"), "csv")
    history = db.scalars(select(Target.value).where(
        Target.kpi_id == wanted.kpi_id, Target.department_id == wanted.department_id,
        Target.month == "2026-10").order_by(Target.id)).all()
    assert history == [Decimal("2400000"), Decimal("2500000")]  # history keeps both
