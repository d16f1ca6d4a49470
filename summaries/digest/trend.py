"""The digest's trend: the organization's headline KPIs month by month, from figures and
targets already read, apart from the digest's model so that either stays small."""

from __future__ import annotations

from summaries.config.schema import Config
from summaries.digest.model import Trend, TrendSeries
from summaries.engine.figurebook import FigureTable
from summaries.engine.report import (
    ORGANIZATION,
    organization_engine,
    organization_target,
    organization_tops,
)
from summaries.engine.targets import TargetRow
from summaries.periods import Month


def build_trend(config: Config, months: list[Month], figures: FigureTable,
                targets: tuple[TargetRow, ...]) -> Trend:
    """The headline series from figures and targets already read (no department evaluated).

    The year before needs ``figures`` from 12 months before the first of ``months``; the
    limits and floors are those in force for the organization (set for every department).
    """
    engine = organization_engine(config, figures, {}, targets)
    keys = [str(m) for m in months]
    series = []
    for kpi in config.headline_kpis():
        tops = organization_tops(engine, config, kpi)
        series.append(TrendSeries(
            kpi,
            [engine.book.value(ORGANIZATION, kpi.key, key) for key in keys],
            [organization_target(engine, tops, kpi, m) for m in months],
            limit_max=[engine.targets.limit("max", kpi.key, ORGANIZATION, k) for k in keys],
            limit_min=[engine.targets.limit("min", kpi.key, ORGANIZATION, k) for k in keys],
            year_before=[engine.book.value(ORGANIZATION, kpi.key, str(m.shift(-12)))
                         for m in months]))
    return Trend(list(months), series, units=config.organization.compact_units)
