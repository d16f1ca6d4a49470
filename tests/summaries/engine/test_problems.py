"""Problems, contributors and projections on a hand-worked month (SPEC 4.1).

North Region rolls up North One, Two and Three; Solo Office stands alone. October revenue
against monthly targets:

    North One    800 of 1,000   -200 (-20.0%: red)
    North Two  1,150 of 1,000   +150
    North Three  495 of   500     -5 (-1.0%: amber, under the 2% materiality: minor)
    Solo       1,000 of 1,100   -100 (-9.1%: red)
    North      2,445 of 2,500    -55 (-2.2%: amber, rolled up: restates North One)
    Organization 3,445 of 3,600 -155 = -200 -100 +150 and -5 for the others
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from summaries.config.loader import parse_config
from summaries.engine.flags import FlagSpec
from summaries.engine.outlook import Tree, contributors, projection
from summaries.engine.problems import (
    Earlier,
    Problem,
    _marked,
    find_problems,
    since_last_month,
)
from summaries.engine.report import PeriodReport
from tests.support.enginekit import ORG, Data, cell, org

D = Decimal


def october(plan_phasing: list[int] | None = None) -> PeriodReport:
    data = (Data()
            .figure("n1", "revenue", "2026-10", 800).target("monthly", "revenue", 1000,
                                                            dept="n1", month="2026-10")
            .figure("n2", "revenue", "2026-10", 1150).target("monthly", "revenue", 1000,
                                                             dept="n2", month="2026-10")
            .figure("n3", "revenue", "2026-10", 495).target("monthly", "revenue", 500,
                                                            dept="n3", month="2026-10")
            .series("solo", "revenue", "2026-01", [900] * 9 + [1000])
            .target("monthly", "revenue", 1100, dept="solo", month="2026-10")
            .target("annual", "revenue", 12000, dept="solo", year=2026, phasing=plan_phasing)
            .figure("n2", "orders", "2026-10", 40))
    for dept in ("n1", "n2", "n3", "solo"):
        data.submitted(dept)
    return data.evaluate(org(grace=11))


def revenue(problems: list[Problem]) -> list[Problem]:
    """The revenue problems (the derived average order has no value where orders are
    missing: an info problem each, beside the point here)."""
    return [p for p in problems if p.kpi == "revenue"]


def test_one_problem_per_cell_ordered_by_severity_then_impact() -> None:
    report = october()
    found = revenue(find_problems(org(), report.departments, "2026-10"))
    assert [(p.department, p.kpi, p.severity) for p in found] == [
        ("n1", "revenue", "red"), ("solo", "revenue", "red"),
        ("north", "revenue", "amber"), ("n3", "revenue", "amber")]
    n1, solo, north, n3 = found
    # Impact of a total: the miss as a share of the organization's figure (3,445).
    assert n1.impact == D(200) / D(3445)
    assert solo.impact == D(100) / D(3445)
    assert n1.gap == D("0.2")
    assert n3.minor
    assert not north.minor
    assert north.restates == "n1"
    assert n1.restates is None


def test_a_kpi_materiality_in_its_unit_overrides_the_rule() -> None:
    text = ORG.replace("better: higher, accumulate: sum}}", "better: higher, accumulate: sum,"
                       " materiality: 60}}", 1)
    config = parse_config(text.format(fiscal_year_start=1, grace=11, revenue_better="higher",
                                      locale="en"), "org.yaml")
    assert config.kpi_by_key["orders"].materiality == D(60)
    report = october()
    # Revenue has no materiality of its own: the rule's 2% still applies.
    assert [p.minor for p in revenue(find_problems(config, report.departments, "2026-10"))] == [
        False, False, False, True]


def test_contributors_split_the_organizations_gap_by_the_departments_that_report() -> None:
    report = october()
    config = org()
    organization = report.headline[0]
    assert (organization.actual, organization.target) == (D(3445), D(3600))
    tree = Tree(report.departments, "2026-10")
    found = contributors(config.kpi_by_key["revenue"], organization, tree, None)
    assert found is not None
    assert found.gap == D(-155)
    # The largest three by size, those making the gap first; the rest as "others".
    assert found.parts == (("n1", D(-200)), ("solo", D(-100)), ("n2", D(150)))
    assert (found.others, found.others_count) == (D(-5), 1)
    assert sum(gap for _, gap in found.parts) + found.others == found.gap
    # In North Region's reply: its own children.
    north = contributors(config.kpi_by_key["revenue"], cell(report, "north", "revenue"), tree,
                         "north")
    assert north is not None
    assert north.gap == D(-55)
    assert north.parts == (("n1", D(-200)), ("n3", D(-5)), ("n2", D(150)))
    assert north.others is None


def test_year_end_projection_flat_and_phased() -> None:
    kpi = org().kpi_by_key["revenue"]
    flat = projection(kpi, cell(october(), "solo", "revenue"))
    assert flat is not None  # 9,100 in ten months of twelve: 9,100 * 12 / 10
    assert (flat.value, flat.plan, flat.gap) == (D(10920), D(12000), D(-1080))
    phased = projection(kpi, cell(october([1] * 6 + [2] * 6), "solo", "revenue"))
    assert phased is not None  # ten months carry 14 of 18 weights: 9,100 * 18 / 14
    assert phased.value == D(9100) * 18 / 14
    assert round(phased.value) == 11700


def test_new_worse_recurring_and_resolved_against_last_month() -> None:
    report = october()
    found = revenue(find_problems(org(), report.departments, "2026-10"))
    earlier = [Earlier("n1", "revenue", "red", D("0.25"), ()),  # a larger gap then
               Earlier("solo", "revenue", "amber", D("0.04"), ()),  # amber then
               Earlier("north", "revenue", "amber", D("0.01"), ()),  # smaller gap then
               Earlier("n2", "orders", "amber", D("0.1"), ()),  # gone, with a figure now
               Earlier("n2", "customers", "red", D("0.5"), ())]  # gone, but no figure now
    reported = [(d.key, c.kpi) for d in report.departments for c in d.cells
                if c.actual is not None]
    marked, resolved = since_last_month(found, earlier, reported)
    assert {(p.department, p.since) for p in marked} == {
        ("n1", "recurring"), ("solo", "worse"), ("north", "worse"), ("n3", "new")}
    assert [(e.department, e.kpi) for e in resolved] == [("n2", "orders")]
    unmarked, none = since_last_month(found, None, reported)
    assert {p.since for p in unmarked} == {None}
    assert none == []


def test_a_problem_marked_since_last_month_keeps_every_other_field() -> None:
    flag = FlagSpec("east", "revenue", "below_target", "red", {"actual": "1"}, "",
                    Decimal("0.2"))
    problem = Problem("east", "revenue", "red", (flag,), None, Decimal("0.2"), Decimal("0.1"),
                      True, None, "west")
    assert [f.name for f in dataclasses.fields(Problem)] == [
        "department", "kpi", "severity", "flags", "cell", "gap", "impact", "minor", "since",
        "restates"]  # a field added must be carried by _marked too
    assert _marked(problem, "worse") == dataclasses.replace(problem, since="worse")
