"""A digest like the demo's, built without a database, for the HTML page's tests: the
example organization's departments, KPIs and written answers, figures as long as the demo's,
one department missing with imported figures, revised figures, hostile user text, a year's
trend; and a blank PNG to stand in for its chart."""

from __future__ import annotations

import struct
import zlib
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import yaml

from summaries.config.loader import load_config
from summaries.config.schema import Kpi
from summaries.digest.model import DepartmentDigest, Digest, KpiRow, Trend, TrendSeries
from summaries.engine.cell import Cell
from summaries.engine.flags import FlagSpec
from summaries.periods import Month

EXAMPLE = Path(__file__).resolve().parents[2] / "summaries" / "example"
OCT = Month(2026, 10)
HOSTILE = "Fibre | backlog <script>alert('x')</script> & a_very_long_word_" + "x" * 80


def _cell(department: str, kpi: Kpi, n: int, source: str) -> Cell:
    """Figures as long as the demo's: seven digits with a unit, limits, pace and changes."""
    status = ("red", "amber", "green")[n % 3]
    if kpi.is_percent:
        return Cell(department, kpi.key, str(OCT), Decimal("96.9") + n, source,
                    limit_min=Decimal("98.0"), previous=Decimal("97.2"), mom=Decimal("-0.3"),
                    yoy=Decimal("1.98"), ytd=Decimal("98.6"), status=status)
    actual = Decimal(4_993_120 + 1_000 * n)
    return Cell(department, kpi.key, str(OCT), actual, source, target=Decimal(5_200_000),
                attainment=Decimal("0.960"), mom=Decimal("-0.028"), yoy=Decimal("0.06"),
                ytd=actual * 10, ytd_share=Decimal("0.813"), pace_share=Decimal("0.833"),
                status=status, children_total=actual + 5 if n == 1 else None)


def demo_like_digest() -> Digest:
    """The example organization's October as the demo shows it, built without a database: its
    departments, KPIs and written answers, one department missing with imported figures,
    figures revised after they were given, hostile user text, and a year's trend."""
    config = load_config(EXAMPLE / "checkin.yaml")
    answers = yaml.safe_load((EXAMPLE / "answers-2026-10.yaml").read_text("utf-8"))
    written = answers["departments"]
    revised = (datetime(2026, 11, 3, 23, 30, tzinfo=UTC), "U0KA")  # Nov 4 in Shanghai
    departments, flags = [], []
    for index, spec in enumerate(config.departments):
        missing = index == len(config.departments) - 1
        texts = written.get(spec.key, {}).get("sections", {})
        sections = [] if missing else [(s.title, texts[s.key].strip())
                                       for s in config.sections_of(spec) if texts.get(s.key)]
        if index == 0:
            sections.append(("Problems", HOSTILE))
        rows = [KpiRow(kpi, _cell(spec.key, kpi, n, "imported" if missing else "submitted"),
                       revised if n % 3 == 0 else None)
                for n, kpi in enumerate(config.kpis_of(spec))]
        own = [FlagSpec(spec.key, row.kpi.key, "below_target", row.cell.status or "amber",
                        {"kpi_name": row.kpi.name, "unit": "CNY", "decimals": "0",
                         "actual": "4992000", "target": "5200000", "by": "0.04",
                         "side": "below"})
               for row in rows if row.cell.status in ("red", "amber")]
        flags += [(spec.name, flag) for flag in own]
        departments.append(DepartmentDigest(
            key=spec.key, name=spec.name, manager=spec.manager,
            status="missing" if missing else "submitted",
            submitted_at=None if missing else datetime(2026, 10, 30, 9, tzinfo=UTC),
            sections=sections, rows=rows, flags=own, imported=missing))
    months = [OCT.shift(n - 11) for n in range(12)]
    series = [TrendSeries(kpi, [Decimal("97.5") + n if kpi.is_percent else
                                Decimal(10_240_360 + 1_000 * n) for n in range(12)],
                          [None if kpi.is_percent else Decimal(10_810_000)] * 12)
              for kpi in config.headline_kpis()]
    headline = [KpiRow(kpi, _cell("", kpi, n, "rollup"), revised if n == 0 else None)
                for n, kpi in enumerate(config.headline_kpis())]
    return Digest(period=OCT, organization=config.organization.name,
                  locale=config.organization.locale, submitted=len(departments) - 1,
                  total=len(departments), headline=headline, flags=flags,
                  departments=departments, missing=departments[-1:],
                  trend=Trend(months, series), timezone=config.organization.timezone)


def blank_png(width: int, height: int, per_metre: int | None = None) -> bytes:
    """A white PNG, quick to make (the real chart is drawn in the command line's and the
    demo's tests); ``per_metre`` gives it a resolution."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    rows = (b"\x00" + b"\xff" * 3 * width) * height
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    resolution = b"" if per_metre is None else chunk(
        b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + resolution
            + chunk(b"IDAT", zlib.compress(rows, 1)) + chunk(b"IEND", b""))
