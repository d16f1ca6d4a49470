"""Departments have a life (SPEC 4.2): a county added in October leaves September as it was."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from summaries.config.loader import parse_config
from summaries.config.schema import Config
from summaries.periods import Month
from tests.support.configtext import problems
from tests.support.enginekit import ORG, Data, cell

SEPTEMBER, OCTOBER = Month(2026, 9), Month(2026, 10)
N3 = "  - {{key: n3, name: North Three, parent: north, manager: U03, kpis: [revenue, orders]}}\n"


def org_text() -> str:
    return ORG.format(fiscal_year_start=1, grace=2, revenue_better="higher", locale="en")


def grown(life: str = "from: 2026-10") -> Config:
    """The test organization with a fourth county under North, added with ``life``."""
    text = org_text()
    n3 = N3.replace("{{", "{").replace("}}", "}")
    n4 = (f"  - {{key: n4, name: North Four, parent: north, manager: U04, {life}, "
          "kpis: [revenue, orders]}\n")
    return parse_config(text.replace(n3, n3 + n4), "org.yaml")


def history() -> Data:
    data = Data()
    for dept in ("n1", "n2", "n3", "solo"):
        data.series(dept, "revenue", "2025-10", [100] * 13)
        data.target("monthly", "revenue", 100, dept=dept, month="2026-09")
    data.figure("n4", "revenue", "2026-10", 40)  # the new county's first (and only) figure
    return data


def test_a_county_added_in_october_leaves_september_as_it_was() -> None:
    data, config = history(), grown()
    september = data.evaluate(config, SEPTEMBER)
    north = cell(september, "north", "revenue")
    assert (north.actual, north.coverage, north.target) == (D(300), (3, 3), D(300))
    assert september.department("n4") is None  # not expected before it exists
    [headline] = september.headline
    assert headline.actual == D(400)
    october = cell(data.evaluate(config, OCTOBER), "north", "revenue")
    assert (october.actual, october.coverage) == (D(340), (4, 4))


def test_without_its_from_the_new_county_blanks_the_roll_up_as_before() -> None:
    north = cell(history().evaluate(grown("until: 2030-12"), SEPTEMBER), "north", "revenue")
    assert (north.actual, north.coverage) == (None, (3, 4))


def test_a_county_closed_after_september_is_not_waited_for_in_october() -> None:
    data = history()
    data.figures.pop(("n4", "revenue"))
    data.series("n4", "revenue", "2026-08", [10, 10])  # reported August and September
    config = grown("from: 2026-08, until: 2026-09")
    assert cell(data.evaluate(config, SEPTEMBER), "north", "revenue").actual == D(310)
    october = data.evaluate(config, OCTOBER)
    assert cell(october, "north", "revenue").actual == D(300)
    assert october.department("n4") is None


def only_problem(old: str, new: str) -> str:
    """The one problem of the test organization with ``old`` replaced by ``new``."""
    [problem] = problems(org_text().replace(old, new), "org.yaml")
    return problem


def test_until_before_from_is_refused_at_its_field() -> None:
    assert only_problem("{key: solo, name: Solo Office,",
                        "{key: solo, name: Solo Office, from: 2026-10, until: 2026-09,"
                        ).endswith("until: comes before from (2026-10)")


@settings(max_examples=40, deadline=None)
@given(values=st.lists(st.integers(0, 10_000), min_size=13, max_size=13),
       added=st.integers(1, 12), new=st.integers(0, 10_000))
def test_adding_a_department_from_a_month_never_changes_that_month_or_earlier(
        values: list[int], added: int, new: int) -> None:
    start = Month(2025, 10).shift(added)
    data = Data()
    for dept in ("n1", "n2", "n3"):
        data.series(dept, "revenue", "2025-10", list(values))
    before = {m: cell(data.evaluate(month=m), "north", "revenue")
              for m in (Month(2025, 10).shift(i) for i in range(added))}
    data.series("n4", "revenue", str(start), [new] * (13 - added))
    config = grown(f"from: {start}")
    for month, was in before.items():
        now = cell(data.evaluate(config, month), "north", "revenue")
        assert (now.actual, now.ytd, now.mom, now.status) == (was.actual, was.ytd, was.mom,
                                                              was.status)


@settings(max_examples=40, deadline=None)
@given(values=st.lists(st.integers(0, 500), min_size=12, max_size=12),
       plan=st.integers(1, 10_000), revised=st.integers(1, 10_000), start=st.integers(2, 12))
def test_revising_a_plan_from_a_month_never_changes_a_month_before_it(
        values: list[int], plan: int, revised: int, start: int) -> None:
    from datetime import UTC, datetime

    from summaries.engine.targets import TargetRow

    data = Data().target("annual", "revenue", plan, dept="solo", year=2026)
    data.series("solo", "revenue", "2026-01", list(values))
    months = [Month(2026, m) for m in range(1, start)]
    before = {m: cell(data.evaluate(month=m), "solo", "revenue") for m in months}
    data.targets.append(TargetRow("annual", "revenue", "solo", str(Month(2026, start)), 2026,
                                  D(revised), None, None, datetime(2027, 1, 1, tzinfo=UTC), 9))
    for month, was in before.items():
        now = cell(data.evaluate(month=month), "solo", "revenue")
        assert (now.annual_plan, now.ytd_share, now.pace_share, now.pace_band, now.status) == (
            was.annual_plan, was.ytd_share, was.pace_share, was.pace_band, was.status)
    assert cell(data.evaluate(month=Month(2026, start)), "solo", "revenue").annual_plan == D(
        revised)


def test_a_department_that_moved_rolls_up_under_the_parent_it_had_each_month() -> None:
    text = org_text()
    moved = text.replace(
        "{{key: n3, name: North Three, parent: north,".replace("{{", "{"),
        "{key: n3, name: North Three, parent: {2026-10: solo, 2025-01: north},")
    moved = moved.replace("{{key: solo, name: Solo Office, manager: U0S, kpis: [revenue, churn]}}"
                          .replace("{{", "{").replace("}}", "}"),
                          "{key: solo, name: Solo Office, manager: U0S, own_figures: true, "
                          "kpis: [revenue, churn]}")
    config = parse_config(moved, "org.yaml")
    assert config.department_by_key["n3"].parent_key == "solo"
    data = Data()
    for dept in ("n1", "n2", "n3"):
        data.series(dept, "revenue", "2026-09", [100, 100])
    september = data.evaluate(config, SEPTEMBER)
    assert cell(september, "north", "revenue").actual == D(300)  # n3 was North's then
    october = data.evaluate(config, OCTOBER)
    assert cell(october, "north", "revenue").actual == D(200)  # and Solo's from October
    assert cell(october, "solo", "revenue").actual == D(100)
    [headline] = october.headline
    assert headline.actual == D(300)  # the organization counts it once, in either tree


def test_a_dated_parent_names_known_departments_at_its_month() -> None:
    assert only_problem("{key: n3, name: North Three, parent: north,",
                        "{key: n3, name: North Three, parent: {2026-10: south, 2025-01: north},"
                        ).endswith("departments[3].parent.2026-10: unknown department 'south'")


@settings(max_examples=40, deadline=None)
@given(values=st.lists(st.one_of(st.none(), st.integers(0, 1_000)), min_size=10, max_size=10),
       order=st.randoms(use_true_random=False))
def test_pace_counts_the_months_reported_whatever_the_gaps_and_the_order(
        values: list[int | None], order: object) -> None:
    import random

    assert isinstance(order, random.Random)
    months = [f"2026-{m:02d}" for m in range(1, 11)]
    rows = [(m, v) for m, v in zip(months, values, strict=True) if v is not None]
    shuffled = list(rows)
    order.shuffle(shuffled)
    cells = []
    for given_rows in (rows, shuffled):
        data = Data().target("annual", "revenue", 1200, dept="solo", year=2026)
        for month, value in given_rows:
            data.figure("solo", "revenue", month, value)
        cells.append(cell(data.evaluate(), "solo", "revenue"))
    first, second = cells
    assert (first.actual, first.ytd, first.ytd_share, first.pace_share, first.status) == (
        second.actual, second.ytd, second.ytd_share, second.pace_share, second.status)
    assert first.pace_share == D(len(rows)) / 12  # only the months with a figure are due
    assert first.ytd == (sum((D(v) for _, v in rows), D(0)) if rows else None)
