"""Property-based tests of the comparison engine (SPEC section 4): arithmetic, roll-ups, flags."""

from __future__ import annotations

import copy
import dataclasses
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from summaries.config.loader import parse_config
from summaries.config.rules import Rules
from summaries.config.schema import Config
from summaries.engine.cell import Cell
from summaries.engine.flags import RULES, SEVERITIES
from summaries.engine.report import PeriodInputs, SubmissionState, evaluate
from summaries.engine.targets import (
    Status,
    TargetRow,
    accumulate,
    attainment,
    breach,
    change,
    gap,
    points_change,
    ratio,
    worst,
)
from summaries.periods import Month, months_between
from tests.support.strategies import (
    STATUSES,
    amounts,
    assert_mirrored,
    backwards,
    by_cell,
    figure_table,
    weights,
)

DATA = Path(__file__).parents[2] / "data"
SAMPLE_TEXT = (DATA / "checkin.yaml").read_text(encoding="utf-8")
MONTHS = [str(m) for m in months_between(Month(2025, 9), Month(2026, 10))]
RECORDED = datetime(2026, 1, 1, tzinfo=UTC)
HEAVY = settings(max_examples=40, deadline=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# --- strategies ---------------------------------------------------------------------------------

recorded_at = st.integers(0, 3).map(lambda minutes: RECORDED + timedelta(minutes=minutes))


SAMPLE_DATA = yaml.safe_load(SAMPLE_TEXT)


@lru_cache(maxsize=12)
def sample_config_starting(fiscal_year_start: int) -> Config:
    """The sample organization of SPEC section 3, its fiscal year starting in another month."""
    data = copy.deepcopy(SAMPLE_DATA)
    data["organization"]["fiscal_year_start"] = fiscal_year_start
    return parse_config(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def sample_config(fiscal_year_start: int = 1, **rules: object) -> Config:
    """The sample organization with other rules, validated as the YAML's would be.

    ``dataclasses.replace`` rebuilds the lookups; ``Rules.model_copy(update=...)`` would skip
    validation (``tolerance=1`` would stay an int), so the rules go through ``model_validate``.
    """
    base = sample_config_starting(fiscal_year_start)
    return dataclasses.replace(base, rules=Rules.model_validate(
        {**base.rules.model_dump(), **rules}))


SAMPLE = sample_config()
DEPARTMENTS = tuple(d.key for d in SAMPLE.departments)
KPI_KEYS = tuple(k.key for k in SAMPLE.kpis)
SECTION_KEYS = tuple(s.key for s in SAMPLE.sections)
CARRIED_PAIRS = tuple((d.key, k) for d in SAMPLE.departments for k in d.kpis)
# Mostly pairs the sample's departments carry; now and then any pair at all (a stored figure of
# a derived KPI, or of a KPI the department does not carry, must change nothing).
pairs = st.one_of(st.sampled_from(CARRIED_PAIRS),
                  st.tuples(st.sampled_from(DEPARTMENTS), st.sampled_from(KPI_KEYS)))
DENSE_MONTHS = 3  # the evaluated month and the two before it: a value or not for every pair
POOL = 6  # the dense figures and targets take their values from a few drawn amounts
picks = st.none() | st.integers(0, POOL - 1)
dense_figures = st.lists(picks, min_size=DENSE_MONTHS * len(CARRIED_PAIRS),
                         max_size=DENSE_MONTHS * len(CARRIED_PAIRS))
# per pair: a monthly target, and an annual plan (flat, or phased by the drawn weights)
dense_targets = st.lists(st.tuples(picks, picks, st.booleans()), min_size=len(CARRIED_PAIRS),
                         max_size=len(CARRIED_PAIRS))
pools = st.lists(amounts, min_size=POOL, max_size=POOL)
HERE = -1  # a month slot meaning "the evaluated month"; else an index into MONTHS
slots = st.one_of(st.just(HERE), st.integers(0, len(MONTHS) - 1))
percents = st.one_of(st.sampled_from(["0", "5%", "1", "100%"]),
                     st.decimals(min_value=0, max_value=50, places=2).map(lambda d: f"{d}%"))
configs = st.builds(sample_config, tolerance=percents, mom_change=percents, yoy_change=percents,
                    streak_months=st.integers(2, 6), pacing_grace_months=st.integers(0, 11),
                    fiscal_year_start=st.integers(1, 12))
orders = st.integers(0, 3)
target_drafts = st.one_of(
    st.tuples(st.just("monthly"), pairs, slots, st.none(), amounts, st.none() | amounts,
              st.none(), recorded_at, orders),
    st.tuples(st.just("annual"), pairs, st.none(), st.integers(2024, 2026), amounts, st.none(),
              st.none() | weights, recorded_at, orders),
    st.tuples(st.sampled_from(["max", "min"]), pairs, st.none() | slots, st.none(), amounts,
              st.none(), st.none(), recorded_at, orders),
)
figure_drafts = st.dictionaries(st.tuples(pairs, slots), amounts, max_size=30)
states = st.builds(SubmissionState, st.sampled_from(["draft", "submitted", "late"]))
submission_drafts = st.dictionaries(st.sampled_from(DEPARTMENTS), states)
lines = st.text(st.sampled_from(list("ab -*•\n\t")) | st.characters(), max_size=30)
answer_drafts = st.dictionaries(st.sampled_from(DEPARTMENTS), st.dictionaries(
    st.sampled_from(SECTION_KEYS), lines, max_size=3))


month_choices = st.sampled_from(MONTHS)
target_lists = st.lists(target_drafts, max_size=10)
limit_owners = st.lists(st.booleans(), min_size=10, max_size=10)


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[Config, Month, PeriodInputs, bool]:
    """The sample organization under random rules, figures, targets and submissions.

    Every pair the departments carry gets a value or not in the evaluated month and the two
    before it, a monthly target or not and an annual plan or not; more figures and targets
    (limits and floors among them) fall anywhere in 2025-09..2026-10.
    """
    config = draw(configs)
    month = Month.parse(draw(month_choices))
    pool = draw(pools)

    def at(slot: int | None) -> str | None:
        return None if slot is None else str(month) if slot == HERE else MONTHS[slot]

    keys = [(dept, kpi, str(month.shift(-back)))
            for back in range(DENSE_MONTHS) for dept, kpi in CARRIED_PAIRS]
    found = {key: pool[pick] for key, pick in zip(keys, draw(dense_figures), strict=True)
             if pick is not None and key[2] in MONTHS}
    for ((dept, kpi), slot), value in draw(figure_drafts).items():
        found[(dept, kpi, str(month) if slot == HERE else MONTHS[slot])] = value
    imported = draw(st.integers(0, 3))
    sources = {key: "imported" for i, key in enumerate(found) if i % 4 == imported}
    fiscal_year = month.fiscal_year(config.organization.fiscal_year_start)
    phasing = draw(weights)
    targets: list[TargetRow] = []
    for (dept, kpi), (target, plan, phased) in zip(CARRIED_PAIRS, draw(dense_targets),
                                                   strict=True):
        if target is not None:
            targets.append(TargetRow("monthly", kpi, dept, str(month), None, pool[target],
                                     None, None, RECORDED))
        if plan is not None:
            targets.append(TargetRow("annual", kpi, dept, None, fiscal_year, pool[plan], None,
                                     phasing if phased else None, RECORDED))
    targets.extend(
        TargetRow(kind, kpi, dept if kind in ("monthly", "annual") or owned else None,
                  at(slot), year, value, stretch, weights_, when, order)
        for (kind, (dept, kpi), slot, year, value, stretch, weights_, when, order), owned
        in zip(draw(target_lists), draw(limit_owners), strict=False))
    inputs = PeriodInputs(figure_table(found), sources, tuple(targets), draw(submission_drafts),
                          draw(answer_drafts))
    return config, month, inputs, draw(st.booleans())


# --- helpers ------------------------------------------------------------------------------------


def limit_component(cell: Cell) -> Status | None:
    if cell.actual is None or (cell.limit_max is None and cell.limit_min is None):
        return None
    return "red" if cell.breach else "green"


def fiscal_months(config: Config, month: Month) -> list[str]:
    index = month.fiscal_index(config.organization.fiscal_year_start)
    return [str(month.shift(i - index)) for i in range(1, index + 1)]


# --- 1. evaluation never raises; every cell and flag keeps to the table -------------------------


@HEAVY
@given(scenario=scenarios(), scoped=st.booleans())
def test_evaluation_never_raises_and_keeps_to_the_domains(
        scenario: tuple[Config, Month, PeriodInputs, bool], scoped: bool) -> None:
    config, month, inputs, closed = scenario
    scope = [d.key for d in config.departments][::2] if scoped else None
    report = evaluate(config, month, inputs, closed=closed, departments=scope)
    for cell in [c for d in report.departments for c in d.cells] + report.headline:
        assert cell.status in STATUSES
        assert cell.target_band in STATUSES
        assert cell.pace_band in STATUSES
        if cell.breach is not None:  # a limit breach always makes status red
            assert cell.status == "red"
    for flag in report.flags:
        assert flag.severity in SEVERITIES
        assert flag.rule in RULES
    assert [f.severity for f in report.flags] == sorted(
        (f.severity for f in report.flags), key=SEVERITIES.index)


@HEAVY
@given(scenario=scenarios())
def test_cells_follow_the_arithmetic_table(
        scenario: tuple[Config, Month, PeriodInputs, bool]) -> None:
    config, month, inputs, closed = scenario
    report = evaluate(config, month, inputs, closed=closed)
    months = fiscal_months(config, month)
    leaves = {d.key for d in config.departments if not config.children_of(d.key)}
    for result in report.departments:
        for cell in result.cells:
            kpi = config.kpi_by_key[cell.kpi]
            assert cell.attainment == attainment(cell.actual, cell.target)
            assert cell.stretch_attainment == attainment(cell.actual, cell.stretch)
            moved = points_change if kpi.is_percent else change  # % KPIs move in points
            assert cell.mom == moved(cell.actual, cell.previous)
            assert cell.yoy == moved(cell.actual, cell.year_ago)
            assert cell.ytd_share == ratio(cell.ytd, cell.annual_plan)
            assert cell.breach == breach(cell.actual, cell.limit_max, cell.limit_min)
            if cell.actual is None:
                assert cell.target_band is None
                assert cell.breach is None
            assert cell.status == worst((cell.target_band, cell.pace_band,
                                         limit_component(cell)))
            assert 0 <= cell.red_streak <= config.rules.streak_months
            assert (cell.red_streak > 0) == (cell.status == "red")
            if kpi.formula is None and result.key in leaves:
                stored = inputs.figures.get((result.key, kpi.key), {})
                assert cell.actual == stored.get(cell.month)
                assert cell.ytd == accumulate((stored.get(m) for m in months), kpi.accumulate)
        # ytd of a derived KPI: its formula over the ytd of its inputs
        revenue, customers = result.cell("revenue"), result.cell("customers")
        derived = result.cell("revenue_per_customer")
        if derived is not None and revenue is not None and customers is not None:
            assert derived.ytd == ratio(revenue.ytd, customers.ytd)
            assert derived.actual == ratio(revenue.actual, customers.actual)


@HEAVY
@given(scenario=scenarios())
def test_flags_match_the_cells(scenario: tuple[Config, Month, PeriodInputs, bool]) -> None:
    config, month, inputs, closed = scenario
    report = evaluate(config, month, inputs, closed=closed)
    for result in report.departments:
        rules = by_cell(result.flags)
        summary = rules.get((result.key, ""), {})
        assert ("missing" in summary) == (closed and not result.submitted)
        late = result.submission is not None and result.submission.status == "late"
        assert ("late" in summary) == late
        for cell in result.cells:
            found = rules.get((result.key, cell.kpi), {})
            assert ("threshold" in found) == (cell.breach is not None)
            assert found.get("off_pace") == (
                cell.pace_band if cell.pace_band in ("amber", "red") else None)
            assert ("streak" in found) == (cell.red_streak >= config.rules.streak_months)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(scenario=scenarios())
def test_red_streak_counts_consecutive_red_months(
        scenario: tuple[Config, Month, PeriodInputs, bool]) -> None:
    config, month, inputs, closed = scenario
    now = evaluate(config, month, inputs, closed=closed)
    before = evaluate(config, month.previous(), inputs, closed=closed)
    wanted = config.rules.streak_months
    for result in now.departments:
        earlier = before.department(result.key)
        assert earlier is not None
        for cell in result.cells:
            previous = earlier.cell(cell.kpi)
            assert previous is not None
            expected = min(wanted, previous.red_streak + 1) if cell.status == "red" else 0
            assert cell.red_streak == expected


ZERO_TARGETS = PeriodInputs(
    {("key-accounts", "churn_rate"): {"2026-10": Decimal(6)},
     ("west-county", "arrears_recovery"): {"2026-10": Decimal(-1)}},
    targets=(TargetRow("monthly", "churn_rate", "key-accounts", "2026-10", None, Decimal(0),
                       None, None, RECORDED),
             TargetRow("monthly", "arrears_recovery", "west-county", "2026-10", None,
                       Decimal(0), None, None, RECORDED)))


@HEAVY
@example(scenario=(SAMPLE, Month(2026, 10), ZERO_TARGETS, False))  # found by the search below
@given(scenario=scenarios())
def test_an_amber_or_red_target_band_is_flagged_below_target(
        scenario: tuple[Config, Month, PeriodInputs, bool]) -> None:
    """A KPI shown amber or red against its monthly target says so in a below_target flag."""
    config, month, inputs, closed = scenario
    report = evaluate(config, month, inputs, closed=closed)
    for result in report.departments:
        rules = by_cell(result.flags)
        for cell in result.cells:
            shown = cell.target_band if cell.target_band in ("amber", "red") else None
            assert rules.get((result.key, cell.kpi), {}).get("below_target") == shown, cell


# --- 2. flags are deterministic and unique ------------------------------------------------------


@HEAVY
@given(scenario=scenarios())
def test_flags_are_the_same_on_every_evaluation_and_unique(
        scenario: tuple[Config, Month, PeriodInputs, bool]) -> None:
    config, month, inputs, closed = scenario
    first = evaluate(config, month, inputs, closed=closed).flags
    second = evaluate(config, month, inputs, closed=closed).flags
    assert first == second
    # the same data inserted in another order
    shuffled = PeriodInputs(
        {key: backwards(by_month) for key, by_month in backwards(inputs.figures).items()},
        backwards(inputs.sources), inputs.targets, backwards(inputs.submissions),
        backwards(inputs.answers))
    assert evaluate(config, month, shuffled, closed=closed).flags == first
    identities = [f.identity for f in first]
    assert len(identities) == len(set(identities))


# --- 4. swapping a KPI's direction swaps green and red ------------------------------------------


DIRECTION_YAML = """
organization: {{name: Direction test, leadership_channel: C0LEADERS, fiscal_year_start: 1}}
sections: [{{key: notes, title: Notes}}]
kpis:
  - {{key: sales, name: Sales, unit: units, better: {better}, accumulate: sum}}
  - {{key: share, name: Share, unit: "%", better: {better}, accumulate: mean}}
departments:
  - {{key: shop, name: Shop, manager: U0SHOP, kpis: [sales, share]}}
rules: {{tolerance: "{tolerance}%", pacing_grace_months: {grace}}}
"""


@lru_cache(maxsize=128)
def direction_config(better: str, tolerance: Decimal, grace: int) -> Config:
    return parse_config(DIRECTION_YAML.format(better=better, tolerance=tolerance, grace=grace))


@settings(max_examples=80, deadline=None)
@given(values=st.lists(st.none() | amounts, min_size=10, max_size=10),
       shares=st.lists(st.none() | amounts, min_size=10, max_size=10),
       monthly=st.tuples(st.none() | amounts, st.none() | amounts),
       annual=st.tuples(st.none() | amounts, st.none() | amounts),
       phasing=st.none() | weights,
       tolerance=st.decimals(min_value=0, max_value=30, places=1),
       grace=st.integers(0, 11), upto=st.integers(1, 10))
def test_swapping_the_direction_swaps_green_and_red_in_cells(
        values: list[Decimal | None], shares: list[Decimal | None],
        monthly: tuple[Decimal | None, Decimal | None],
        annual: tuple[Decimal | None, Decimal | None], phasing: tuple[Decimal, ...] | None,
        tolerance: Decimal, grace: int, upto: int) -> None:
    month = Month(2026, upto)
    figures = {("shop", "sales"): {f"2026-{i + 1:02d}": v for i, v in enumerate(values)
                                   if v is not None},
               ("shop", "share"): {f"2026-{i + 1:02d}": v for i, v in enumerate(shares)
                                   if v is not None}}
    rows: list[TargetRow] = []
    for kpi, target, plan in zip(("sales", "share"), monthly, annual, strict=True):
        if target is not None:
            rows.append(TargetRow("monthly", kpi, "shop", str(month), None, target, None, None,
                                  RECORDED))
        if plan is not None:
            rows.append(TargetRow("annual", kpi, "shop", None, 2026, plan, None,
                                  phasing if kpi == "sales" else None, RECORDED))
    inputs = PeriodInputs(figures, targets=tuple(rows))
    up = evaluate(direction_config("higher", tolerance, grace), month, inputs, closed=False)
    down = evaluate(direction_config("lower", tolerance, grace), month, inputs, closed=False)
    up_cells, down_cells = up.departments[0].cells, down.departments[0].cells
    for kpi, plan, high, low in zip(("sales", "share"), annual, up_cells, down_cells,
                                    strict=True):
        points = kpi == "share"
        assert_mirrored(high.target_band, low.target_band,
                        gap(high.actual, high.target, "higher", points),
                        tolerance if points else tolerance / 100)
        assert_mirrored(high.pace_band, low.pace_band,
                        gap(high.ytd_share, high.pace_share, "higher"), tolerance / 100)
        if plan is None:  # the target band is the only component: status swaps with it
            assert high.pace_band is None
            assert high.status == high.target_band
            assert low.status == low.target_band
        assert (high.actual, high.ytd, high.attainment) == (low.actual, low.ytd, low.attainment)
