"""Property-based tests of roll-ups and derived KPIs: ratios of sums, missing never zero."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from summaries.config.loader import parse_config
from summaries.config.schema import Kpi
from summaries.engine.figurebook import FigureBook
from summaries.engine.report import PeriodInputs, evaluate
from summaries.engine.targets import (
    ratio,
)
from summaries.periods import Month
from tests.support.strategies import figure_table

# --- 3. a derived ratio is a ratio of sums, for YTD and roll-ups --------------------------------

RATIO_YAML = """
organization: {name: Ratio test, leadership_channel: C0LEADERS, fiscal_year_start: 1}
sections: [{key: notes, title: Notes}]
kpis:
  - {key: revenue, name: Revenue, better: higher, accumulate: sum}
  - {key: orders, name: Orders, better: higher, accumulate: sum}
  - {key: avg_order, name: Average order, formula: "revenue / orders"}
departments:
  - {key: region, name: Region, manager: U0REG, kpis: [revenue, orders, avg_order]}
  - {key: north, name: North, parent: region, manager: U0NOR, kpis: [revenue, orders, avg_order]}
  - {key: south, name: South, parent: region, manager: U0SOU, kpis: [revenue, orders, avg_order]}
  - {key: west, name: West, parent: region, manager: U0WES, kpis: [revenue, orders, avg_order]}
"""
RATIO_CONFIG = parse_config(RATIO_YAML)
CHILDREN = ("north", "south", "west")
RATIO_MONTHS = [f"2026-{m:02d}" for m in range(1, 7)]
# Few enough digits that every sum here is exact, whatever the order of adding.
exact_amounts = st.decimals(min_value=-10**9, max_value=10**9, places=4)


def total(values: Sequence[Decimal | None]) -> Decimal | None:
    """Sum of the values present (months without a value are skipped), None without any."""
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


def rolled(figures: Mapping[tuple[str, str], Mapping[str, Decimal]], kpi: str,
           month: str) -> Decimal | None:
    """The region's figure: the children's sum once every child has one (never zero-filled)."""
    values = [figures.get((child, kpi), {}).get(month) for child in CHILDREN]
    if any(v is None for v in values):
        return None
    return sum((v for v in values if v is not None), Decimal(0))


@settings(max_examples=100, deadline=None)
@given(found=st.dictionaries(st.tuples(st.sampled_from(CHILDREN),
                                       st.sampled_from(["revenue", "orders"]),
                                       st.sampled_from(RATIO_MONTHS)),
                             exact_amounts | st.sampled_from([Decimal(0), Decimal(1)]),
                             max_size=36),
       upto=st.integers(1, 6))
def test_derived_ratio_is_the_ratio_of_summed_inputs(
        found: dict[tuple[str, str, str], Decimal], upto: int) -> None:
    figures = figure_table(found)
    month = Month(2026, upto)
    months = RATIO_MONTHS[:upto]
    report = evaluate(RATIO_CONFIG, month, PeriodInputs(figures), closed=False)

    def shown(dept: str, kpi: str, when: str) -> Decimal | None:
        if dept == "region":  # the children's sums, never a mean of their ratios
            return rolled(figures, kpi, when)
        return figures.get((dept, kpi), {}).get(when)

    for dept in (*CHILDREN, "region"):
        result = report.department(dept)
        assert result is not None
        cell = result.cell("avg_order")
        assert cell is not None
        assert cell.actual == ratio(shown(dept, "revenue", str(month)),
                                    shown(dept, "orders", str(month)))
        assert cell.ytd == ratio(total([shown(dept, "revenue", m) for m in months]),
                                 total([shown(dept, "orders", m) for m in months]))


long_decimals = st.decimals(min_value=Decimal("1e-6"), max_value=10**12, allow_nan=False,
                            allow_infinity=False)


@settings(max_examples=30, deadline=None)
@given(revenue=st.lists(long_decimals, min_size=9, max_size=9),
       orders=st.lists(long_decimals, min_size=9, max_size=9))
def test_derived_ratio_of_long_decimals_is_the_ratio_of_sums_within_rounding(
        revenue: list[Decimal], orders: list[Decimal]) -> None:
    """With more digits than the context keeps, the order of adding may move the last digit."""
    pairs = [(c, m) for c in CHILDREN for m in RATIO_MONTHS[:3]]
    figures = figure_table({**{(c, "revenue", m): v for (c, m), v in zip(pairs, revenue,
                                                                          strict=True)},
                            **{(c, "orders", m): v for (c, m), v in zip(pairs, orders,
                                                                         strict=True)}})
    report = evaluate(RATIO_CONFIG, Month(2026, 3), PeriodInputs(figures), closed=False)
    region = report.department("region")
    assert region is not None
    cell = region.cell("avg_order")
    assert cell is not None
    expected = sum(revenue, Decimal(0)) / sum(orders, Decimal(0))
    assert cell.ytd is not None
    assert abs(cell.ytd - expected) <= expected * Decimal("1e-24")
    ratios = [r / o for r, o in zip(revenue, orders, strict=True)]
    mean_of_ratios = sum(ratios, Decimal(0)) / len(ratios)
    if abs(mean_of_ratios - expected) > expected * Decimal("1e-20"):
        assert abs(cell.ytd - mean_of_ratios) > expected * Decimal("1e-24")


def test_a_parent_ratio_is_not_the_mean_of_its_childrens_ratios() -> None:
    figures = {("north", "revenue"): {"2026-01": Decimal(100)},
               ("north", "orders"): {"2026-01": Decimal(1)},
               ("south", "revenue"): {"2026-01": Decimal(100)},
               ("south", "orders"): {"2026-01": Decimal(4)},
               ("west", "revenue"): {"2026-01": Decimal(0)},
               ("west", "orders"): {"2026-01": Decimal(5)}}
    report = evaluate(RATIO_CONFIG, Month(2026, 1), PeriodInputs(figures), closed=False)
    region = report.department("region")
    assert region is not None
    cell = region.cell("avg_order")
    assert cell is not None
    assert cell.actual == Decimal(20)  # 200 / 10, not (100 + 25 + 0) / 3
    assert cell.ytd == Decimal(20)


# --- a missing figure is never read as zero -----------------------------------------------------

ROLLUP_KPIS = [Kpi(key="amount", name="Amount", accumulate="sum"),
               Kpi(key="level", name="Level", accumulate="last"),
               Kpi(key="rate", name="Rate", unit="%", accumulate="mean"),
               Kpi(key="per_rate", name="Amount per rate", formula="amount / rate")]
ROLLUP_PARENTS: dict[str, str | None] = {"top": None, "a": "top", "b": "top", "c": "top"}
# c does not carry the rate: its roll-up waits for a and b only
ROLLUP_REPORTS = {"top": ["amount", "level", "rate"], "a": ["amount", "level", "rate"],
                  "b": ["amount", "level", "per_rate"], "c": ["amount", "level"]}
CARRIED = [("a", "amount"), ("a", "level"), ("a", "rate"), ("b", "amount"), ("b", "level"),
           ("b", "rate"), ("c", "amount"), ("c", "level")]


@settings(max_examples=200)
@given(found=st.dictionaries(st.sampled_from(CARRIED), exact_amounts, max_size=8),
       own=st.none() | exact_amounts)
def test_a_roll_up_reads_missing_children_as_missing_not_zero(
        found: dict[tuple[str, str], Decimal], own: Decimal | None) -> None:
    """A parent's aggregate exists once every child carrying the KPI has a figure."""
    month = "2026-03"
    figures: dict[tuple[str, str], dict[str, Decimal]] = {
        key: {month: value} for key, value in found.items()}
    if own is not None:
        figures[("top", "level")] = {month: own}
    book = FigureBook(ROLLUP_KPIS, ROLLUP_PARENTS, figures, reports=ROLLUP_REPORTS)
    shown: dict[str, Decimal | None] = {}
    for kpi in ("amount", "level", "rate"):
        carrying = [c for c, k in CARRIED if k == kpi]
        values = [found.get((c, kpi)) for c in carrying]
        present = [v for v in values if v is not None]
        for child in "abc":
            assert book.value(child, kpi, month) == found.get((child, kpi))
        expected: Decimal | None = None
        if len(present) == len(carrying):
            expected = sum(present, Decimal(0))
            if kpi == "rate":
                expected /= len(present)
        if kpi == "level" and own is not None:  # a parent's own figure beats the roll-up
            expected = own
            assert book.coverage("top", kpi, month) is None
        else:
            assert book.coverage("top", kpi, month) == (len(present), len(carrying))
        shown[kpi] = expected
        assert book.value("top", kpi, month) == expected
        assert book.source("top", kpi, month) == (
            None if expected is None else "submitted" if kpi == "level" and own is not None
            else "rollup")
    assert book.value("top", "per_rate", month) == ratio(shown["amount"], shown["rate"])
    assert book.value("top", "amount", "2026-04") is None
    assert book.ytd("top", "amount", ["2026-01", "2026-02", "2026-03"]) == shown["amount"]


# --- a department's months in one go are its months one by one ---------------------------------

MOVED_YAML = RATIO_YAML.replace(
    "{key: west, name: West, parent: region,",
    "{key: west, name: West, parent: {2026-01: north, 2026-04: region},")


@settings(max_examples=60, deadline=None)
@given(found=st.dictionaries(st.tuples(st.sampled_from((*CHILDREN, "region")),
                                       st.sampled_from(["revenue", "orders"]),
                                       st.sampled_from(RATIO_MONTHS)),
                             exact_amounts, max_size=40),
       moved=st.booleans())
def test_values_over_months_are_the_values_month_by_month(
        found: dict[tuple[str, str, str], Decimal], moved: bool) -> None:
    """The leaf's shortcut in ``FigureBook.values`` reads what ``value`` reads month by month
    in a book of its own, also where a department has children in some months only (West
    under North until March), and under a root above the tree, in any order of months."""
    config = parse_config(MOVED_YAML) if moved else RATIO_CONFIG
    table = figure_table(found)
    for root in (None, "*"):
        batch = FigureBook.for_config(config, table, root=root)
        single = FigureBook.for_config(config, table, root=root)
        for dept in (*CHILDREN, "region", *([root] if root else [])):
            for kpi in ("revenue", "orders", "avg_order"):
                assert batch.values(dept, kpi, RATIO_MONTHS[2:4]) == [
                    single.value(dept, kpi, month) for month in RATIO_MONTHS[2:4]]
                assert batch.values(dept, kpi, RATIO_MONTHS[::-1]) == [
                    single.value(dept, kpi, month) for month in RATIO_MONTHS[::-1]]


@settings(max_examples=150)
@given(found=st.dictionaries(st.tuples(st.sampled_from([*CARRIED, ("top", "level")]),
                                       st.sampled_from(RATIO_MONTHS[:3])),
                             exact_amounts, max_size=20))
def test_a_parents_months_together_are_its_months_one_by_one(
        found: dict[tuple[tuple[str, str], str], Decimal]) -> None:
    """Sums, means and latest levels, a child that does not carry the rate, and a parent's
    own figure in some months: ``values``, ``ytd`` and ``coverage`` of a book that was asked
    before as of a fresh one."""
    figures: dict[tuple[str, str], dict[str, Decimal]] = {}
    for (key, month), value in found.items():
        figures.setdefault(key, {})[month] = value
    batch = FigureBook(ROLLUP_KPIS, ROLLUP_PARENTS, figures, reports=ROLLUP_REPORTS)
    single = FigureBook(ROLLUP_KPIS, ROLLUP_PARENTS, figures, reports=ROLLUP_REPORTS)
    for kpi in ("amount", "level", "rate", "per_rate"):
        assert batch.values("top", kpi, RATIO_MONTHS) == [
            single.value("top", kpi, month) for month in RATIO_MONTHS]
        assert batch.ytd("top", kpi, RATIO_MONTHS[:3]) == single.ytd("top", kpi,
                                                                     RATIO_MONTHS[:3])
        assert [batch.coverage("top", kpi, m) for m in RATIO_MONTHS] == [
            single.coverage("top", kpi, m) for m in RATIO_MONTHS]
