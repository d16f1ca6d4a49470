"""A roll-up parent's figures come from its children (SPEC 4): not asked, not imported."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from summaries.checkins.forms import input_kpis
from summaries.checkins.submissions import validate_submission
from summaries.config.loader import parse_config
from summaries.config.schema import Config
from summaries.errors import InputError
from summaries.imports.importers import import_figures
from tests.support.configtext import problems
from tests.support.importkit import assert_nothing_written, problems_of, write
from tests.support.paths import DATA

SAMPLE = (DATA / "checkin.yaml").read_text()
MARKETING = "{key: marketing, name: Marketing Department, manager: U0MKT, "


def test_a_parent_is_not_asked_for_what_its_children_carry(config: Config) -> None:
    marketing = config.department_by_key["marketing"]
    assert input_kpis(config, marketing) == []
    assert [k.key for k in input_kpis(config, config.department_by_key["east-county"])] == [
        "revenue", "arrears_recovery"]
    errors = validate_submission(config, marketing, {}, {"revenue": Decimal(5_000_000)})
    assert errors["kpi:revenue"] == ("Business income adds up the figures of the departments "
                                     "below Marketing Department")


def test_own_figures_lets_a_parent_report_them_all_or_some() -> None:
    every = parse_config(SAMPLE.replace(MARKETING, MARKETING + "own_figures: true, "))
    assert [k.key for k in input_kpis(every, every.department_by_key["marketing"])] == [
        "revenue", "arrears_recovery"]
    some = parse_config(SAMPLE.replace(MARKETING, MARKETING + "own_figures: [revenue], "))
    assert [k.key for k in input_kpis(some, some.department_by_key["marketing"])] == ["revenue"]


def test_own_figures_names_only_the_departments_kpis() -> None:
    found = problems(SAMPLE.replace(MARKETING, MARKETING + "own_figures: [inspections], "))
    assert len(found) == 1
    assert found[0].endswith(
        "departments[1].own_figures[0]: 'inspections' is not one of this department's KPIs")


@pytest.mark.usefixtures("catalog")
def test_an_import_giving_a_parent_its_own_figure_is_refused_naming_the_row(
        db: Session, config: Config, flushes: list[int], tmp_path: Path) -> None:
    text = ("kpi,department,month,value\n"
            "revenue,east-county,2026-09,2400000\n"
            "revenue,marketing,2026-09,5000000\n")
    with pytest.raises(InputError) as raised:
        import_figures(db, config, write(tmp_path, "figures.csv", text), by="U0OPS")
    assert problems_of(raised) == [
        "figures.csv:3: department: marketing's revenue is the sum of the departments below "
        "it; import their figures (or give it own_figures: true)"]
    assert_nothing_written(db, flushes)


def test_a_required_figure_left_empty_is_an_error_under_its_field() -> None:
    by_kpi = parse_config(SAMPLE.replace(
        "{key: inspections, name: Safety inspections held, unit: inspections,",
        "{key: inspections, name: Safety inspections held, unit: inspections, required: true,"))
    safety = by_kpi.department_by_key["safety"]
    assert by_kpi.required_kpis(safety) == {"inspections"}
    errors = validate_submission(by_kpi, safety, {}, {"inspections": None})
    assert errors["kpi:inspections"] == "Safety inspections held is required"
    assert "kpi:inspections" not in validate_submission(by_kpi, safety, {},
                                                         {"inspections": Decimal(2)})
    east = "{key: east-county, name: East County Company, parent: marketing, manager: U0EAST, "
    by_department = parse_config(SAMPLE.replace(east, east + "required: [arrears_recovery], "))
    county = by_department.department_by_key["east-county"]
    assert by_department.required_kpis(county) == {"arrears_recovery"}
    assert by_department.required_kpis(by_department.department_by_key["west-county"]) == set()
    found = problems(SAMPLE.replace(east, east + "required: [inspections], "))
    assert found[0].endswith(
        "departments[2].required[0]: 'inspections' is not one of this department's KPIs")
