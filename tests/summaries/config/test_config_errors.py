"""Configuration mistakes: every one reported at once, each at its file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from summaries.config.loader import load_config
from summaries.errors import InputError
from tests.support.configtext import EXAMPLE, SAMPLE, edited, line_of, problems

# --- every mistake at once, each at its line ---------------------------------------------------


def test_five_mistakes_on_five_lines_are_reported_together() -> None:
    text = edited({
        "locale: en": "locale: klingon",
        "{key: products, title: Product development}":
            "{key: Products, title: Product development}",
        "unit: households, better: higher": "unit: households, better: lowest",
        "manager: U0SAFE": "manager: safety-officer",
        "streak_months: 3": "streak_months: 1",
    })
    assert problems(text) == [
        f"checkin.yaml:{line_of(text, 'klingon')}: organization.locale: "
        "must be one of en, de, fr, es, zh, ja",
        f"checkin.yaml:{line_of(text, 'Products')}: sections[2].key: "
        "'Products' is not a key: use lowercase letters, digits, - and _",
        f"checkin.yaml:{line_of(text, 'lowest')}: kpis[3].better: "
        "must be one of higher, lower, none",
        f"checkin.yaml:{line_of(text, 'safety-officer')}: departments[4].manager: "
        "'safety-officer' is not a Slack user id (such as U0123ABCD)",
        f"checkin.yaml:{line_of(text, 'streak_months')}: rules.streak_months: "
        "input should be greater than or equal to 2",
    ]


def test_load_config_reports_under_the_files_own_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = edited({"better: lower, accumulate: mean": "better: lowest, accumulate: mean"})
    (tmp_path / "northfield.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError) as caught:
        load_config("northfield.yaml")
    assert str(caught.value) == (
        f"northfield.yaml:{line_of(text, 'lowest')}: kpis[5].better: "
        "must be one of higher, lower, none")


def test_timezone_is_checked_even_when_the_organization_has_another_mistake() -> None:
    text = edited({"Asia/Shanghai": "Asia/Atlantis", "leadership_channel: C0LEADERS":
                   "leadership_channel: leaders"})
    assert problems(text) == [
        "checkin.yaml:3: organization.timezone: unknown time zone 'Asia/Atlantis'",
        f"checkin.yaml:{line_of(text, 'leadership_channel')}: organization.leadership_channel: "
        "'leaders' is not a Slack channel id (such as C0123ABCD)",
    ]


def test_a_nested_block_is_reported_at_its_key() -> None:
    """A field missing from a block mapping points at the line that names the block."""
    text = edited({"  leadership_channel: C0LEADERS   # channel id where the digest is "
                   "posted at close\n": ""}, EXAMPLE)
    [organization_line] = [n for n, line in enumerate(text.splitlines(), start=1)
                           if line == "organization:"]
    assert problems(text) == [
        f"checkin.yaml:{organization_line}: organization.leadership_channel: required"]


def test_example_block_style_target_reports_its_phasing_line() -> None:
    text = edited({"phasing: [7, 6, 8, 8, 8, 9, 8, 8, 9, 9, 10, 10]":
                   "phasing: [7, 6, 8, 8, 8, 9, 8, 8, 9, 9, 10]"}, EXAMPLE)
    assert problems(text) == [
        f"checkin.yaml:{line_of(text, 'phasing:')}: targets[2].phasing: "
        "needs twelve weights, one per month of the fiscal year, not 11"]


# --- one mistake each: field path, line and message --------------------------------------------

# (what to change, text on the reported line, field, message)
ONE_MISTAKE = {
    "unknown KPI in a department": (
        {"phs_sets, broadband_a, customers": "phs_sets, broadband, customers"},
        "broadband, customers", "departments[0].kpis[3]", "unknown KPI 'broadband'"),
    "KPI listed twice in a department": (
        {"kpis: [inspections]": "kpis: [inspections, inspections]"},
        "[inspections, inspections]", "departments[4].kpis[1]",
        "KPI 'inspections' listed twice"),
    "unknown section in a department": (
        {"sections: [activities, team,": "sections: [activities, teams,"},
        "teams", "departments[4].sections[1]", "unknown section 'teams'"),
    "duplicate KPI key": (
        {"  - {key: inspections,": "  - {key: revenue, name: Income again}\n"
                                   "  - {key: inspections,"},
        "Income again", "kpis[8].key", "duplicate key 'revenue'"),
    "duplicate department key": (
        {"key: west-county": "key: east-county"},
        "West County Company", "departments[3].key", "duplicate key 'east-county'"),
    "duplicate section key": (
        {"{key: customers, title: Customer development}":
         "{key: products, title: Customer development}"},
        "Customer development", "sections[3].key", "duplicate key 'products'"),
    "unknown parent": (
        {"parent: marketing, manager: U0WEST": "parent: sales, manager: U0WEST"},
        "parent: sales", "departments[3].parent", "unknown department 'sales'"),
    "parent cycle": (
        {"name: Marketing Department, manager": "name: Marketing Department, "
                                                "parent: east-county, manager"},
        "Marketing Department", "departments[1].parent",
        "parent cycle: marketing -> east-county -> marketing"),
    "own parent": (
        {"name: Marketing Department, manager": "name: Marketing Department, "
                                                "parent: marketing, manager"},
        "Marketing Department", "departments[1].parent",
        "a department cannot be its own parent"),
    "formula does not parse": (
        {'"revenue / customers"': '"revenue / / customers"'},
        "Output per customer", "kpis[7].formula", "does not parse: invalid syntax"),
    "formula calls an unknown function": (
        {'"revenue / customers"': '"sqrt(revenue) / customers"'},
        "Output per customer", "kpis[7].formula", "only min, max, abs and round may be called"),
    "formula uses attribute access": (
        {'"revenue / customers"': '"revenue.real / customers"'},
        "Output per customer", "kpis[7].formula", "not allowed in a formula: attribute access"),
    "formula gives min one argument": (
        {'"revenue / customers"': '"max(revenue) / customers"'},
        "Output per customer", "kpis[7].formula", "max() takes two or more arguments"),
    "formula with unknown KPI": (
        {'"revenue / customers"': '"revenue / clients"'},
        "Output per customer", "kpis[7].formula", "unknown KPI 'clients' in formula"),
    "formula uses its own KPI": (
        {'"revenue / customers"': '"revenue_per_customer * 2"'},
        "Output per customer", "kpis[7].formula", "a formula cannot use its own KPI"),
    "formula cycle": (
        {'"revenue / customers"': '"revenue / customer_base"',
         "  - {key: inspections,": '  - {key: customer_base, name: Base, '
                                   'formula: "revenue / revenue_per_customer"}\n'
                                   "  - {key: inspections,"},
        "name: Base", "kpis[8].formula",
        "formula cycle: customer_base -> revenue_per_customer -> customer_base"),
    "KPI min above max": (
        {"min: 0, max: 100, tolerance: 1": "min: 100, max: 0, tolerance: 1"},
        "max: 0, tolerance", "kpis[6].max", "min is greater than max"),
    "unknown time zone": (
        {"timezone: Asia/Shanghai": "timezone: Asia/Atlantis"},
        "Atlantis", "organization.timezone", "unknown time zone 'Asia/Atlantis'"),
    "unknown holiday country": (
        {"country: CN": "country: XX"},
        "country: XX", "schedule.holidays.country",
        "unknown holiday country 'XX' (use an ISO code such as CN)"),
    "unknown subdivision": (
        {"country: CN, subdivision: null": "country: US, subdivision: ZZ"},
        "subdivision: ZZ", "schedule.holidays.subdivision", "unknown subdivision 'ZZ' of US"),
    "subdivision without a country": (
        {"country: CN, subdivision: null": "country: null, subdivision: BJ"},
        "subdivision: BJ", "schedule.holidays.subdivision", "a subdivision needs a country"),
    "time 25:00": (
        {'time: "18:00"': 'time: "25:00"'},
        "25:00", "schedule.close.time", "must be a time as HH:MM, e.g. \"09:00\", not '25:00'"),
    "time 9am": (
        {'time: "09:00"': "time: 9am"},
        "9am", "schedule.open.time", "must be a time as HH:MM, e.g. \"09:00\", not '9am'"),
    "time as a bare number": (
        {'time: "18:00"': "time: 1800"},
        "1800", "schedule.close.time", "must be a time as HH:MM, e.g. \"09:00\", not 1800"),
    "opening day out of range": (
        {"day: last_business_day": "day: 40"},
        "day: 40", "schedule.open.day", "must be last_business_day, last, 1..28 or -1..-10"),
    "opening day zero": (
        {"day: last_business_day": "day: 0"},
        "day: 0", "schedule.open.day", "must be last_business_day, last, 1..28 or -1..-10"),
    "opening day misspelt": (
        {"day: last_business_day": "day: first"},
        "day: first", "schedule.open.day", "must be last_business_day, last, 1..28 or -1..-10"),
    "month 2026-13": (
        {"month: 2026-10, target: 2400000": "month: 2026-13, target: 2400000"},
        "2026-13", "targets[2].month", "'2026-13' is not a month (YYYY-MM)"),
    "target names month and year": (
        {"month: 2026-10, target: 2}": "month: 2026-10, year: 2026, target: 2}"},
        "year: 2026, target: 2", "targets[5]",
        "names both month and year; a monthly target takes month, an annual plan takes year"),
    "target without a value": (
        {"{kpi: churn_rate, max: 3.0}": "{kpi: churn_rate}"},
        "{kpi: churn_rate}", "targets[3]",
        "give exactly one of: target (with month), annual (with year), max or min"),
    "stretch without target": (
        {"month: 2026-10, target: 2}": "month: 2026-10, stretch: 2}"},
        "stretch: 2}", "targets[5].stretch", "stretch goes with a monthly target"),
    "monthly target without month": (
        {"department: safety, month: 2026-10, target: 2": "department: safety, target: 2"},
        "department: safety, target", "targets[5].month", "a monthly target needs month: YYYY-MM"),
    "monthly target without department": (
        {"department: safety, month: 2026-10": "month: 2026-10"},
        "kpi: inspections, month", "targets[5].department",
        "a monthly target needs a department"),
    "annual plan without year": (
        {"year: 2026, annual: 3360": "annual: 3360"},
        "annual: 3360", "targets[1].year", "an annual plan needs year"),
    "phasing with 11 weights": (
        {"annual: 3360}": "annual: 3360, phasing: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]}"},
        "phasing", "targets[1].phasing",
        "needs twelve weights, one per month of the fiscal year, not 11"),
    "limit with a month": (
        {"{kpi: churn_rate, max: 3.0}": "{kpi: churn_rate, max: 3.0, month: 2026-10}"},
        "churn_rate, max", "targets[3].month",
        "a control limit or floor takes from: YYYY-MM, not month or year"),
    "target for an unknown KPI": (
        {"{kpi: churn_rate, max: 3.0}": "{kpi: churn, max: 3.0}"},
        "kpi: churn,", "targets[3].kpi", "unknown KPI 'churn'"),
    "target for an unknown department": (
        {"department: safety, month": "department: safety-office, month"},
        "safety-office", "targets[5].department", "unknown department 'safety-office'"),
    "target for a KPI the department does not report": (
        {"{kpi: inspections, department: safety": "{kpi: revenue, department: safety"},
        "{kpi: revenue, department: safety", "targets[5].kpi",
        "safety does not report KPI 'revenue' (add it to the department's kpis)"),
    "the same target twice": (
        {"{kpi: churn_rate, max: 3.0}": "{kpi: arrears_recovery, min: 97.0, from: 2026-01}"},
        "min: 98.0", "targets[4]", "duplicate of targets[3]"),
    "section listed twice in a department": (
        {"sections: [activities, team, problems, plan]":
            "sections: [activities, team, problems, team]"},
        "sections: [activities", "departments[4].sections[3]", "section 'team' listed twice"),
    "unknown top-level key": (
        {"rules:": "rule:"},
        "rule:", "rule", "unknown section; expected one of organization, schedule, sections, "
                         "kpis, departments, targets, rules, away"),
    "unknown field inside a KPI": (
        {"unit: inspections, better": "unit: inspections, colour: red, better"},
        "colour", "kpis[8].colour", "unknown field"),
    "key with a space and capitals": (
        {"{key: products,": "{key: New Products,"},
        "New Products", "sections[2].key",
        "'New Products' is not a key: use lowercase letters, digits, - and _"),
    "better: lowest": (
        {"unit: households, better: higher": "unit: households, better: lowest"},
        "lowest", "kpis[3].better", "must be one of higher, lower, none"),
    "department without manager": (
        {"name: Marketing Department, manager: U0MKT, ": "name: Marketing Department, "},
        "Marketing Department", "departments[1].manager", "required"),
    "section without key": (
        {"{key: products, title": "{title"},
        "Product development", "sections[2].key", "required"),
    "invalid Slack user id": (
        {"leaders: [U0CEO]": "leaders: [ceo]"},
        "leaders:", "organization.leaders[0]", "'ceo' is not a Slack user id (such as U0123ABCD)"),
    "invalid locale": (
        {"locale: en": "locale: english"},
        "english", "organization.locale", "must be one of en, de, fr, es, zh, ja"),
    "negative tolerance": (
        {"tolerance: 5%": "tolerance: -5%"},
        "tolerance: -5%", "rules.tolerance", "input should be greater than or equal to 0"),
    "tolerance that is not a number": (
        {"tolerance: 5%": "tolerance: five%"},
        "five%", "rules.tolerance", "must be a percentage such as 5%, not 'five%'"),
    "kpis not a list": (
        {"kpis: [inspections]": "kpis: inspections"},
        "kpis: inspections", "departments[4].kpis", "input should be a valid list"),
}


@pytest.mark.parametrize(("replacements", "needle", "field", "message"),
                         list(ONE_MISTAKE.values()), ids=list(ONE_MISTAKE))
def test_one_mistake_is_one_message_at_its_line(
    replacements: dict[str, str], needle: str, field: str, message: str
) -> None:
    text = edited(replacements)
    assert problems(text) == [f"checkin.yaml:{line_of(text, needle)}: {field}: {message}"]


def test_an_entry_with_a_bad_key_still_counts_as_known() -> None:
    """One mistake does not cascade into "unknown KPI" messages wherever the KPI is used."""
    text = edited({"{key: revenue, name: Business income, unit: CNY, decimals: 0":
                   "{key: revenue, name: Business income, unit: CNY, decimals: 9"})
    assert problems(text) == [
        f"checkin.yaml:{line_of(text, 'decimals: 9')}: kpis[0].decimals: "
        "input should be less than or equal to 6"]


def test_a_key_that_is_a_list_is_reported_not_a_crash() -> None:
    text = edited({"{key: market,": "{key: [market, place],"})
    assert problems(text) == [
        f"checkin.yaml:{line_of(text, 'place')}: sections[0].key: input should be a valid string"]


# --- the file itself: YAML problems ------------------------------------------------------------


def test_invalid_yaml_names_the_line() -> None:
    text = edited({"currency: CNY": "currency: CNY: yuan"})
    assert problems(text) == [
        f"checkin.yaml:{line_of(text, 'yuan')}: invalid YAML: mapping values are not allowed here"]


def test_unclosed_flow_mapping_names_the_line() -> None:
    text = edited({"title: Sales and payment": "title: Sales [and payment"})
    [only] = problems(text)
    assert only.startswith(f"checkin.yaml:{line_of(text, 'Sales [and')}: invalid YAML: ")


def test_python_object_tag_is_refused_and_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = edited({"rules:": f'rules: !!python/object/apply:os.system ["touch {marker}"]\n'
                             "rules_:"})
    lines = problems(text)
    assert (f"checkin.yaml:{line_of(text, 'os.system')}: rules: unsupported YAML tag "
            "tag:yaml.org,2002:python/object/apply:os.system") in lines
    assert not marker.exists()


@pytest.mark.parametrize("tagged", [
    "!!python/object:summaries.config.schema.Rules {tolerance: 5}",
    "!!python/name:os.system",
    "!!binary aGVsbG8=",
    "!!set {a: null}",
    "!custom 12",
])
def test_every_tag_outside_plain_yaml_is_refused(tagged: str) -> None:
    text = edited({"currency: CNY": f"currency: {tagged}"})
    [only] = problems(text)
    assert only.startswith(
        f"checkin.yaml:{line_of(text, 'currency')}: organization.currency: unsupported YAML tag ")


def test_duplicate_mapping_key_is_reported_at_the_second() -> None:
    text = edited({"  currency: CNY\n": "  currency: CNY\n  currency: USD\n"})
    assert problems(text) == [
        f"checkin.yaml:{line_of(text, 'USD')}: organization.currency: duplicate key"]


def test_duplicate_key_in_a_flow_mapping() -> None:
    text = edited({"{key: team, title: Team building}":
                   "{key: team, title: Team building, title: Team}"})
    assert problems(text) == [
        f"checkin.yaml:{line_of(text, 'Team building')}: sections[5].title: duplicate key"]


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n", "~\n"])
def test_empty_file_names_what_is_required(text: str) -> None:
    assert problems(text) == [
        "checkin.yaml:1: departments: required: a list",
        "checkin.yaml:1: kpis: required: a list",
        "checkin.yaml:1: organization: required",
        "checkin.yaml:1: sections: required: a list",
    ]


def test_a_list_is_not_a_configuration() -> None:
    assert problems("- organization\n- kpis\n") == [
        "checkin.yaml:1: the file must be a mapping of organization, schedule, kpis, ..."]


def test_two_documents_are_refused() -> None:
    text = SAMPLE + "---\nrules: {}\n"
    assert problems(text) == [
        f"checkin.yaml:{line_of(text, '---')}: invalid YAML: "
        "expected a single document in the stream, but found another document"]


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    with pytest.raises(InputError) as caught:
        load_config(path)
    assert str(caught.value) == f"{path}:1: file not found"


def test_directory_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_config(tmp_path)
    assert str(caught.value).startswith(f"{tmp_path}:1: cannot read: ")


def test_utf8_bom_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"))
    assert load_config(path).organization.name == "Northfield Telecom, City Branch"


def test_names_in_any_language(tmp_path: Path) -> None:
    text = edited({"name: Northfield Telecom, City Branch": "name: 北田电信 城市分公司",
                   "title: Market environment": "title: 市场环境"})
    path = tmp_path / "zh.yaml"
    path.write_text(text, encoding="utf-8")
    config = load_config(path)
    assert config.organization.name == "北田电信 城市分公司"
    assert config.section_by_key["market"].title == "市场环境"


def test_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(SAMPLE.replace("City Branch", "Città").encode("latin-1"))
    with pytest.raises(InputError) as caught:
        load_config(path)
    assert str(caught.value).startswith(f"{path}:1: cannot read: ")
