"""A ``/kpi`` answer ranks a department among its siblings exactly as the digest does."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from summaries.config.loader import parse_config
from summaries.engine.report import organization_engine
from summaries.lookup.ranks import group, rank_cells, ranked_with, reach
from tests.support.enginekit import OCT, ORG, Data, org

AMOUNTS = st.one_of(st.none(), st.integers(min_value=0, max_value=2000))
DEPARTMENTS = ("north", "n1", "n2", "n3", "solo")


def digest_ranks(data: Data, kpi: str) -> dict[str, tuple[int, int]]:
    report = data.evaluate()
    found = {}
    for result in report.departments:
        cell = result.cell(kpi)
        if cell is not None and cell.rank is not None and cell.rank_of is not None:
            found[result.key] = (cell.rank, cell.rank_of)
    return found


def lookup_ranks(data: Data, kpi: str) -> dict[str, tuple[int, int]]:
    config = org()
    spec = config.kpi_by_key[kpi]
    engine = organization_engine(config, data.figures, data.sources, data.targets)
    members = {k for parent in (None, "north") for k in group(config, spec, parent, OCT)}
    return rank_cells(engine, config, spec, OCT, members)


@settings(max_examples=60, deadline=None)
@given(actuals=st.lists(AMOUNTS, min_size=5, max_size=5),
       targets=st.lists(AMOUNTS, min_size=5, max_size=5),
       kpi=st.sampled_from(["revenue", "churn", "orders"]))
def test_the_lookup_ranks_like_the_digest(actuals: list[int | None],
                                          targets: list[int | None], kpi: str) -> None:
    data = Data()
    for dept, actual, target in zip(DEPARTMENTS, actuals, targets, strict=True):
        if actual is not None and (dept != "north" or kpi == "churn"):  # a parent of sums
            data.figure(dept, kpi, str(OCT), actual)                     # rolls up
        if target is not None and target > 0:
            data.target("monthly", kpi, target, dept=dept, month=str(OCT))
    assert lookup_ranks(data, kpi) == digest_ranks(data, kpi)


def test_ties_share_a_place_and_lower_is_better_ranks_the_lowest_first() -> None:
    data = Data()
    for dept, value in (("n1", "1.0"), ("n2", "3.0"), ("n3", "1.0")):
        data.figure(dept, "churn", str(OCT), value)
        data.target("monthly", "churn", "2.0", dept=dept, month=str(OCT))
    # n3 reports no loss rate in the test organization: n1 and n2 only
    assert lookup_ranks(data, "churn") == {"n1": (1, 2), "n2": (2, 2)}
    data = Data()
    for dept, value in (("n1", 900), ("n2", 1100), ("n3", 1100)):
        data.figure(dept, "revenue", str(OCT), value)
        data.target("monthly", "revenue", 1000, dept=dept, month=str(OCT))
    assert lookup_ranks(data, "revenue") == {"n2": (1, 3), "n3": (1, 3), "n1": (3, 3)}
    assert lookup_ranks(data, "revenue") == digest_ranks(data, "revenue")


def test_the_groups_are_those_of_the_month() -> None:
    config = org()
    revenue = config.kpi_by_key["revenue"]
    assert group(config, revenue, "north", OCT) == ["n1", "n2", "n3"]
    assert group(config, revenue, None, OCT) == ["north", "solo"]
    assert group(config, config.kpi_by_key["churn"], "north", OCT) == ["n1", "n2"]
    text = ORG.format(fiscal_year_start=1, grace=2, revenue_better="higher", locale="en")
    later = parse_config(text.replace("name: North Three,", "name: North Three, from: 2026-11,")
                         .replace("name: North Two, parent: north,",
                                  "name: North Two, parent: {2026-11: north, 2025-01: solo},"))
    assert group(later, revenue, "north", OCT) == ["n1"]
    assert group(later, revenue, "solo", OCT) == ["n2"]
    assert group(later, revenue, "north", OCT.shift(1)) == ["n1", "n2", "n3"]


def test_a_lookup_ranks_a_department_among_its_siblings_and_those_below_it() -> None:
    config = org()
    revenue, churn = config.kpi_by_key["revenue"], config.kpi_by_key["churn"]
    n1, north = config.department_by_key["n1"], config.department_by_key["north"]
    assert ranked_with(config, revenue, n1, OCT) == ["n1", "n2", "n3"]
    assert ranked_with(config, churn, n1, OCT) == ["n1", "n2"]
    assert ranked_with(config, revenue, north, OCT) == ["n1", "n2", "n3"]  # not the top level
    assert reach(config, ["north"], OCT) == {"north", "n1", "n2", "n3"}
    assert reach(config, ["n1", "solo"], OCT) == {"n1", "solo"}
