"""The configuration file: what loads, and what it means (SPEC section 3)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from summaries.config.loader import load_config, parse_config
from summaries.config.rules import Rules
from summaries.config.schema import Config, Kpi, Section, TargetSpec
from tests.support.configtext import ROOT, SAMPLE, edited

# --- the sample (SPEC section 3) and the example file load -----------------------------------


def test_sample_organization_and_schedule(config: Config) -> None:
    org = config.organization
    assert org.name == "Northfield Telecom, City Branch"
    assert org.timezone == "Asia/Shanghai"
    assert (org.locale, org.currency, org.fiscal_year_start) == ("en", "CNY", 1)
    assert org.leadership_channel == "C0LEADERS"
    schedule = config.schedule
    assert schedule.open.day == "last_business_day"
    assert schedule.open.time == dt.time(9, 0)
    assert [(r.business_days_after_open, r.time) for r in schedule.reminders] == [
        (1, dt.time(10, 0)), (3, dt.time(10, 0))]
    assert (schedule.close.business_day_of_next_month, schedule.close.time) == (3, dt.time(18, 0))
    assert schedule.late_until_days == 10
    assert schedule.holidays.country == "CN"
    assert schedule.holidays.subdivision is None
    assert schedule.holidays.extra == [dt.date(2026, 10, 8)]


def test_sample_sections_keep_order_and_flags(config: Config) -> None:
    assert [s.key for s in config.sections] == [
        "market", "sales", "products", "customers", "activities", "team", "problems", "plan"]
    assert config.section_by_key["problems"].raises is True
    assert config.section_by_key["plan"].raises is False
    assert config.section_by_key["sales"].required is True
    assert config.section_by_key["market"].hint == (
        "Market capacity, competitors, channels, customer demand")


def test_sample_kpis_have_decimal_bounds_and_tolerance(config: Config) -> None:
    revenue = config.kpi_by_key["revenue"]
    assert revenue.min == Decimal(0)
    assert isinstance(revenue.min, Decimal)
    assert (revenue.better, revenue.accumulate, revenue.decimals) == ("higher", "sum", 0)
    churn = config.kpi_by_key["churn_rate"]
    assert (churn.better, churn.accumulate, churn.decimals) == ("lower", "mean", 2)
    assert churn.max == Decimal(100)
    assert churn.is_percent
    assert not revenue.is_percent
    assert config.kpi_by_key["arrears_recovery"].tolerance == Decimal(1)
    assert revenue.tolerance is None
    derived = config.kpi_by_key["revenue_per_customer"]
    assert derived.parsed_formula is not None
    assert derived.parsed_formula.inputs == {"revenue", "customers"}
    assert revenue.parsed_formula is None


def test_sample_targets_of_each_kind(config: Config) -> None:
    assert [t.kind for t in config.targets] == [
        "annual", "annual", "monthly", "limit", "limit", "monthly"]
    plan = config.targets[0]
    assert (plan.kpi, plan.department, plan.year) == ("revenue", "key-accounts", 2026)
    assert plan.annual == Decimal("61680000")
    monthly = config.targets[2]
    assert (monthly.month, monthly.target, monthly.stretch) == (
        "2026-10", Decimal(2400000), Decimal(2800000))
    limit, floor = config.targets[3], config.targets[4]
    assert (limit.kpi, limit.department, limit.max, limit.min) == (
        "churn_rate", None, Decimal("3.0"), None)
    assert (floor.min, floor.from_) == (Decimal("98.0"), "2026-01")


def test_sample_rules_read_percent_signs(config: Config) -> None:
    rules = config.rules
    assert (rules.tolerance, rules.mom_change, rules.yoy_change) == (
        Decimal(5), Decimal(20), Decimal(15))
    assert (rules.streak_months, rules.pacing_grace_months) == (3, 2)


def test_sample_lookups(config: Config) -> None:
    safety = config.department_by_key["safety"]
    assert [s.key for s in config.sections_of(safety)] == [
        "activities", "team", "problems", "plan"]
    key_accounts = config.department_by_key["key-accounts"]
    assert config.sections_of(key_accounts) == list(config.sections)
    assert [k.key for k in config.kpis_of(key_accounts)] == [
        "revenue", "fixed_lines", "phs_sets", "broadband_a", "customers", "churn_rate",
        "revenue_per_customer"]
    assert [d.key for d in config.children_of("marketing")] == ["east-county", "west-county"]
    assert config.children_of("safety") == []
    # No KPI is marked headline in the sample: the first three stand in.
    assert [k.key for k in config.headline_kpis()] == ["revenue", "fixed_lines", "phs_sets"]


def test_sample_roles(config: Config) -> None:
    assert config.is_admin("U0OPS")
    assert config.is_leader("U0OPS")  # admins may do everything leaders may
    assert config.is_leader("U0CEO")
    assert not config.is_admin("U0CEO")
    assert not config.is_leader("U0KA")
    assert not config.is_admin("U0KA")


def test_example_file_loads() -> None:
    config = load_config(ROOT / "summaries" / "example" / "checkin.yaml")
    assert config.source == str(ROOT / "summaries" / "example" / "checkin.yaml")
    assert len(config.sections) == 12
    assert len(config.kpis) == 11
    assert [d.key for d in config.children_of("marketing")] == [
        "east-county", "west-county", "north-county"]
    assert config.organization.leaders == ["U0CEO", "U0DEPUTY"]
    assert config.is_leader("U0DEPUTY")
    assert [k.key for k in config.headline_kpis()] == [
        "revenue", "broadband_a", "churn_rate", "arrears_recovery"]
    assert config.kpi_by_key["repair_on_time"].tolerance == Decimal(2)
    assert [s.key for s in config.sections if s.raises] == ["requests"]
    network = config.department_by_key["network-operations"]
    assert [s.key for s in config.sections_of(network)] == [
        "service", "management", "safety", "team", "problems", "requests", "plan"]
    marketing = config.department_by_key["marketing"]
    assert len(config.sections_of(marketing)) == 12


def test_example_file_targets() -> None:
    config = load_config(ROOT / "summaries" / "example" / "checkin.yaml")
    kinds = [t.kind for t in config.targets]
    assert kinds.count("annual") == 3
    assert kinds.count("monthly") == 6
    assert kinds.count("limit") == 3
    phased = next(t for t in config.targets if t.phasing is not None)
    assert (phased.department, phased.annual) == ("east-county", Decimal(28000000))
    assert len(phased.phasing or []) == 12
    assert sum(phased.phasing or []) == 100
    floor = config.targets[-1]
    assert (floor.kpi, floor.department, floor.min, floor.from_) == (
        "repair_on_time", "network-operations", Decimal("90.0"), "2026-01")
    repair = next(t for t in config.targets if t.kind == "monthly" and t.kpi == "repair_on_time")
    assert repair.target == Decimal("95.0")


def test_unquoted_time_is_a_time_not_minutes() -> None:
    config = parse_config(edited({'time: "10:00"}, {business_days_after_open: 3':
                                  "time: 10:00}, {business_days_after_open: 3",
                                  'time: "09:00"': "time: 9:30"}))
    assert config.schedule.reminders[0].time == dt.time(10, 0)
    assert config.schedule.open.time == dt.time(9, 30)


@pytest.mark.parametrize(("written", "day"), [
    ("last_business_day", "last_business_day"), ("last", "last"), ("1", 1), ("28", 28),
    ("-1", -1), ("-10", -10), ('"5"', 5),
])
def test_opening_day_forms(written: str, day: str | int) -> None:
    config = parse_config(edited({"day: last_business_day": f"day: {written}"}))
    assert config.schedule.open.day == day


@pytest.mark.parametrize(("written", "value"), [
    ("5%", Decimal(5)), ("12.5 %", Decimal("12.5")), ("5", Decimal(5)), ("0.5", Decimal("0.5")),
])
def test_percent_rules(written: str, value: Decimal) -> None:
    config = parse_config(edited({"tolerance: 5%": f"tolerance: {written}"}))
    assert config.rules.tolerance == value


def test_kpi_tolerance_accepts_percent_sign() -> None:
    config = parse_config(edited({"max: 100, tolerance: 1}": "max: 100, tolerance: 1.5%}"}))
    assert config.kpi_by_key["arrears_recovery"].tolerance == Decimal("1.5")


def test_defaults_when_optional_parts_are_left_out() -> None:
    start = SAMPLE.index("schedule:")
    end = SAMPLE.index("sections:")
    text = SAMPLE[:start] + SAMPLE[end:SAMPLE.index("targets:")]
    config = parse_config(text)
    assert config.schedule.open.time == dt.time(9, 0)
    assert config.schedule.close.time == dt.time(18, 0)
    assert config.targets == ()
    assert config.rules == Rules()
    assert config.rules.tolerance == Decimal(5)


def test_norway_and_ontario_stay_text() -> None:
    """YAML 1.1 reads NO and ON as booleans; country and subdivision codes must stay codes."""
    config = parse_config(edited({"country: CN, subdivision: null":
                                  "country: CA, subdivision: ON"}))
    assert (config.schedule.holidays.country, config.schedule.holidays.subdivision) == (
        "CA", "ON")
    norway = parse_config(edited({"country: CN": "country: NO"}))
    assert norway.schedule.holidays.country == "NO"


def test_booleans_written_as_yes_still_count() -> None:
    config = parse_config(edited({"raise: true": "raise: yes", "required: true": "required: on"}))
    assert config.section_by_key["problems"].raises is True
    assert config.section_by_key["sales"].required is True


def test_models_accept_python_names_and_aliases() -> None:
    assert Section.model_validate({"key": "x", "title": "X", "raise": True}).raises
    assert Section(key="x", title="X", raises=True).raises
    spec = TargetSpec.model_validate({"kpi": "k", "min": 1, "from": "2026-01"})
    assert (spec.kind, spec.from_) == ("limit", "2026-01")
    assert Kpi(key="k", name="K", unit=" % ").is_percent
