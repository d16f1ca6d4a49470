"""Configuration mistakes in the reader's language (issue 21): inside ``speaking("zh")`` each
kind of message is Chinese, at the same file, line and field; English stays pydantic's words."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from summaries.config.checks import history_warnings
from summaries.config.loader import load_config, parse_config
from summaries.config.messages import message
from summaries.config.yamlsource import LineMap
from summaries.errors import InputError
from summaries.formulas import FormulaError, parse_formula
from summaries.i18n import speaking
from tests.support.configtext import edited, line_of, problems

# Words a Chinese reader must not meet; keys, codes and the YAML the person typed may stay.
ENGLISH = re.compile(r"\b(?:must|should|input|unknown|required|duplicate|not|is|of|the|a|"
                     r"an|with|needs|goes|invalid|found|expected)\b")


def chinese(text: str) -> list[str]:
    with speaking("zh"):
        return problems(text)


def test_a_bad_better_names_file_line_and_field_in_chinese() -> None:
    text = edited({"unit: households, better: higher": "unit: households, better: lowest"})
    assert chinese(text) == [f"checkin.yaml:{line_of(text, 'lowest')}: kpis[3].better: "
                             "必须是以下之一：higher, lower, none"]


# (what to change, text on the reported line, field, Chinese message)
IN_CHINESE = {
    "pattern": ({"{key: products,": "{key: New Products,"}, "New Products", "sections[2].key",
                "'New Products'不是有效的键：只能使用小写字母、数字、-和_"),
    "missing": ({"name: Marketing Department, manager: U0MKT, ": "name: Marketing Department, "},
                "Marketing Department", "departments[1].manager", "必填"),
    "extra field": ({"unit: inspections, better": "unit: inspections, colour: red, better"},
                    "colour", "kpis[8].colour", "未知字段"),
    "at least": ({"streak_months: 3": "streak_months: 1"}, "streak_months",
                 "rules.streak_months", "应大于或等于2"),
    "not a list": ({"kpis: [inspections]": "kpis: inspections"}, "kpis: inspections",
                   "departments[4].kpis", "应为列表"),
    "validator": ({'time: "18:00"': 'time: "25:00"'}, "25:00", "schedule.close.time",
                  "必须是HH:MM格式的时间（如\"09:00\"），不能是'25:00'"),
    "whole entry": ({"min: 0, max: 100, tolerance: 1": "min: 100, max: 0, tolerance: 1"},
                    "max: 0, tolerance", "kpis[6].max", "min大于max"),
    "target kind": ({"department: safety, month: 2026-10": "month: 2026-10"},
                    "kpi: inspections, month", "targets[5].department",
                    "月度目标须指定部门（department）"),
    "cross-check": ({"phs_sets, broadband_a, customers": "phs_sets, broadband, customers"},
                    "broadband, customers", "departments[0].kpis[3]", "未知指标'broadband'"),
    "formula": ({'"revenue / customers"': '"revenue.real / customers"'}, "Output per customer",
                "kpis[7].formula", "公式中不允许使用：属性访问"),
    "formula syntax": ({'"revenue / customers"': '"revenue / / customers"'},
                       "Output per customer", "kpis[7].formula", "无法解析：语法错误"),
    "time zone": ({"timezone: Asia/Shanghai": "timezone: Asia/Atlantis"}, "Atlantis",
                  "organization.timezone", "未知时区'Asia/Atlantis'"),
    "duplicate yaml key": ({"  currency: CNY\n": "  currency: CNY\n  currency: USD\n"}, "USD",
                           "organization.currency", "键重复"),
    "top level": ({"rules:": "rule:"}, "rule:", "rule",
                  "未知的配置项；应为以下之一：organization, schedule, sections, kpis, "
                  "departments, targets, rules, away"),
}


@pytest.mark.parametrize(("replacements", "needle", "field", "expected"),
                         list(IN_CHINESE.values()), ids=list(IN_CHINESE))
def test_each_kind_of_message_is_chinese_at_its_line(
        replacements: dict[str, str], needle: str, field: str, expected: str) -> None:
    text = edited(replacements)
    [found] = chinese(text)
    assert found == f"checkin.yaml:{line_of(text, needle)}: {field}: {expected}"
    assert not ENGLISH.search(found.split(": ", 2)[2])


def test_invalid_yaml_in_chinese() -> None:
    text = edited({"currency: CNY": "currency: CNY: yuan"})
    assert chinese(text) == [f"checkin.yaml:{line_of(text, 'yuan')}: YAML格式错误："
                             "此处不能出现“键: 值”（值中如含冒号，请加引号）"]
    assert chinese("- organization\n") == [
        "checkin.yaml:1: 文件内容必须是由organization、schedule、kpis等配置项组成的映射"]


def test_the_empty_file_in_chinese() -> None:
    assert chinese("") == ["checkin.yaml:1: departments: 必填：应为列表",
                           "checkin.yaml:1: kpis: 必填：应为列表",
                           "checkin.yaml:1: organization: 必填",
                           "checkin.yaml:1: sections: 必填：应为列表"]


def test_a_missing_file_in_chinese(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    with speaking("zh"), pytest.raises(InputError) as caught:
        load_config(path)
    assert str(caught.value) == f"{path}:1: 找不到文件"


def test_the_same_mistake_stays_english_outside_chinese() -> None:
    text = edited({"streak_months: 3": "streak_months: 1"})
    with speaking("zh"):
        problems(text)
    assert problems(text) == [f"checkin.yaml:{line_of(text, 'streak_months')}: "
                              "rules.streak_months: input should be greater than or equal to 2"]


def test_formula_errors_in_chinese() -> None:
    with speaking("zh"), pytest.raises(FormulaError) as caught:
        parse_formula("max(revenue)")
    assert str(caught.value) == "max()需要两个或以上参数"


def test_history_warning_in_chinese() -> None:
    config = parse_config(edited({}))
    with speaking("zh"):
        [warning] = history_warnings(config, LineMap(), {"east-county": "2026-03",
                                                          "marketing": "2025-01"})
    assert warning.message.startswith("east-county的已存数据或工作总结从2026-03才开始")
    assert "`from: 2026-03`" in warning.message


# --- pydantic's own words: each kind mapped keeps pydantic's English exactly ---------------------

class _Sample(BaseModel):
    model_config = ConfigDict(extra="forbid")
    number: int = 0
    amount: Decimal = Decimal(0)
    flag: bool = False
    text: Annotated[str, Field(min_length=1, max_length=3)] = "a"
    items: list[int] = []
    mapping: dict[str, int] = {}
    bounded: int = Field(3, ge=2, le=5)
    strictly: int = Field(3, gt=2, lt=5)
    day: date = date(2026, 1, 1)
    choice: Literal["a", "b"] = "a"


PYDANTIC_KINDS = [{"number": "x"}, {"number": 1.5}, {"number": [1]}, {"amount": "x"},
                  {"amount": [1]}, {"amount": "nan"}, {"flag": "maybe"}, {"flag": [1]},
                  {"text": ""}, {"text": "abcd"}, {"text": 3}, {"items": 3}, {"mapping": 3},
                  {"bounded": 1}, {"bounded": 9}, {"strictly": 2}, {"strictly": 5},
                  {"day": "2026-13-01"}, {"day": "x"}, {"day": [1]}, {"day": "2026-02-30"},
                  {"day": "2026-01-01T10:00"}, {"other": 1}, {}, {"choice": "c"}]


def _errors(data: object) -> list[dict[str, object]]:
    with pytest.raises(ValidationError) as caught:
        _Sample.model_validate(data if data else "not a mapping")
    return list(caught.value.errors())  # type: ignore[arg-type]


@pytest.mark.parametrize("data", PYDANTIC_KINDS, ids=str)
def test_english_is_pydantics_own_sentence(data: dict[str, object]) -> None:
    ours = {"literal_error": "must be one of a, b", "extra_forbidden": "unknown field"}
    for error in _errors(data):
        if error["type"] in ours:
            assert message(error) == ours[str(error["type"])]
        else:
            text = str(error["msg"])
            assert message(error) == text[:1].lower() + text[1:]


@pytest.mark.parametrize("data", PYDANTIC_KINDS, ids=str)
def test_pydantics_common_kinds_are_chinese(data: dict[str, object]) -> None:
    for error in _errors(data):
        with speaking("zh"):
            said = message(error)
        assert not re.search(r"[A-Za-z]{3,}", re.sub(r"YYYY|MM|DD|true|false|_Sample", "",
                                                      said)), said
