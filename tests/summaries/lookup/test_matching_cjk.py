"""Names in scripts without spaces match by any part; Latin names still by key and word start.

A small Chinese organization, built here, stands for the companies this was modelled on.
"""

from __future__ import annotations

import pytest

from summaries.access import viewer
from summaries.config.loader import parse_config
from summaries.config.schema import Config
from summaries.errors import DomainError, PermissionDenied
from summaries.lookup.matching import Named, cuts, find, find_one
from summaries.lookup.query import LookupProblem, parse_query
from summaries.periods import Month

TEXT = """
organization: {name: 北田电信城区分公司, timezone: Asia/Shanghai, locale: zh, currency: CNY,
               leaders: [U0CEO], admins: [U0OPS], leadership_channel: C0LEADERS}
sections: [{key: sales, title: 销售与回款}]
kpis:
  - {key: revenue, name: 业务收入, unit: CNY}
  - {key: new_revenue, name: 新增业务收入, unit: CNY}
  - {key: churn_rate, name: 重点客户流失率, unit: "%"}
  - {key: arrears, name: 欠费回收率, unit: "%"}
  - {key: users_4g, name: 4G用户数, unit: 户}
  - {key: arpu, name: 户均收入ARPU, unit: CNY}
  - {key: income, name: Business income, unit: CNY}
  - {key: income_per_head, name: Income per head, unit: CNY}
departments:
  - {key: city, name: 城区分公司, manager: U0CITY, kpis: [revenue, churn_rate, income]}
  - {key: east, name: 东城县公司, parent: city, manager: U0EAST,
     kpis: [revenue, new_revenue, churn_rate, arrears, users_4g, arpu, income, income_per_head]}
  - {key: west, name: 西城县公司, parent: city, manager: U0WEST, kpis: [revenue, churn_rate]}
  - {key: newtown, name: 老东城新区营业部, manager: U0NEW, kpis: [new_revenue]}
  - {key: osaka, name: 大阪マーケティング部, manager: U0OSAKA, kpis: [revenue]}
  - {key: chiangmai, name: สาขาเชียงใหม่, manager: U0CM, kpis: [revenue]}
  - {key: busan, name: 부산 지사, manager: U0BUSAN, kpis: [revenue]}
  - {key: north-county, name: North County Company, manager: U0NORTH, kpis: [revenue, income]}
"""


@pytest.fixture(scope="module")
def config() -> Config:
    return parse_config(TEXT)


def wide(text: str) -> str:
    """``text`` in full-width forms, as a Chinese input method types it."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def kpis(config: Config) -> list[Named]:
    return [Named(k.key, k.name) for k in config.kpis]


def departments(config: Config) -> list[Named]:
    return [Named(d.key, d.name) for d in config.departments]


def keys(found: list[Named]) -> list[str]:
    return [item.key for item in found]


@pytest.mark.parametrize(("typed", "expected"), [
    ("流失", "churn_rate"),        # the middle of the name
    ("流失率", "churn_rate"),      # its end
    ("回收", "arrears"),
    ("客户", "churn_rate"),
    ("用户数", "users_4g"),
    ("arpu", "arpu"),              # the key; and the Latin word after Han starts a word
    (wide("ARPU"), "arpu"),        # full-width letters
    (wide("4G"), "users_4g"),      # full-width digit and letter, from the start
    (wide("4g") + "用户", "users_4g"),
])
def test_a_kpi_matches_by_any_part_of_a_chinese_name(config: Config, typed: str,
                                                     expected: str) -> None:
    assert keys(find(typed, kpis(config))) == [expected]


@pytest.mark.parametrize(("typed", "expected"), [
    ("东城", "east"),
    ("西城县", "west"),
    ("城区", "city"),
    ("城", "city"),                # the start of 城区分公司 beats the middle of 东城, 西城
    ("マーケ", "osaka"),           # katakana
    ("ﾏｰｹﾃｨﾝｸﾞ", "osaka"),         # half-width katakana folds to full width
    ("大阪", "osaka"),
    ("เชียงใหม่", "chiangmai"),     # Thai is written without spaces too
    ("지사", "busan"),             # Hangul has spaces: the start of a word
])
def test_a_department_matches_by_any_part_in_scripts_without_spaces(
        config: Config, typed: str, expected: str) -> None:
    assert keys(find(typed, departments(config))) == [expected]


def test_spaced_scripts_still_match_only_from_a_word_start(config: Config) -> None:
    assert find("산", departments(config)) == []  # inside a Hangul word
    assert find("ounty", departments(config)) == []
    assert find("ness", kpis(config)) == []
    assert keys(find("county", departments(config))) == ["north-county"]
    assert keys(find("north county", departments(config))) == ["north-county"]
    assert find("county company", departments(config)) == []  # as before: no word runs
    assert keys(find("busi", kpis(config))) == ["income"]  # the start of the name
    assert keys(find("head", kpis(config))) == ["income_per_head"]  # a word inside it
    assert keys(find("inc", kpis(config))) == ["income", "income_per_head"]  # keys
    assert keys(find("income", kpis(config))) == ["income"]  # the exact key wins
    assert keys(find("INCOME p", kpis(config))) == ["income_per_head"]
    assert keys(find("in", kpis(config))) == ["income", "income_per_head"]


def test_an_exact_name_or_key_beats_a_part_of_another(config: Config) -> None:
    assert keys(find("业务收入", kpis(config))) == ["revenue"]  # inside 新增业务收入 too
    assert keys(find("new_revenue", kpis(config))) == ["new_revenue"]
    assert keys(find("新增", kpis(config))) == ["new_revenue"]


def test_a_part_of_several_names_is_ambiguous(config: Config) -> None:
    assert keys(find("收入", kpis(config))) == ["revenue", "new_revenue", "arpu"]
    assert keys(find("县公司", departments(config))) == ["east", "west"]
    with pytest.raises(DomainError) as caught:
        find_one("县公司", departments(config))
    assert str(caught.value) == ("Which department? It could be: 东城县公司 (east), "
                                 "西城县公司 (west).")
    assert find_one("东城", departments(config)).key == "east"


def test_the_parser_reports_ambiguity_with_its_candidates(config: Config) -> None:
    ceo = viewer(config, "U0CEO")
    with pytest.raises(LookupProblem) as kpi_problem:
        parse_query(config, ceo, "收入")
    assert str(kpi_problem.value) == "“收入” could be more than one KPI; which one?"
    assert keys(kpi_problem.value.candidates) == ["revenue", "new_revenue", "arpu"]
    with pytest.raises(LookupProblem) as department_problem:
        parse_query(config, ceo, "流失 县公司")
    assert str(department_problem.value) == "“县公司” could be more than one department; which one?"
    assert keys(department_problem.value.candidates) == ["east", "west"]
    assert department_problem.value.noun == "department"


@pytest.mark.parametrize(("typed", "kpi", "department", "month"), [
    ("流失", "churn_rate", None, None),
    ("流失 东城 2026-10", "churn_rate", "east", Month(2026, 10)),
    ("流失 东城 " + wide("2026-09"), "churn_rate", "east", Month(2026, 9)),  # full width
    ("重点客户流失率 城区", "churn_rate", "city", None),
    ("东城流失率", "churn_rate", "east", None),      # one word: department, then KPI
    ("流失率东城", "churn_rate", "east", None),      # or KPI, then department
    ("东城县公司流失 2026-10", "churn_rate", "east", Month(2026, 10)),
    ("churn_rate东城", "churn_rate", "east", None),  # a key, then a Chinese name
    ("income north", "income", "north-county", None),
])
def test_the_parser_splits_kpi_and_department(config: Config, typed: str, kpi: str,
                                              department: str | None,
                                              month: Month | None) -> None:
    query = parse_query(config, viewer(config, "U0CEO"), typed)
    assert query.kpi is not None
    assert query.kpi.key == kpi
    assert (query.department.key if query.department else None) == department
    assert query.month == month


def test_a_word_that_reads_two_ways_asks_for_a_space(config: Config) -> None:
    # 东城 | 新增业务收入 (东城县公司), or 东城新 | 增业务收入 (老东城新区营业部)
    with pytest.raises(LookupProblem) as caught:
        parse_query(config, viewer(config, "U0CEO"), "东城新增业务收入")
    assert str(caught.value) == (
        "“东城新增业务收入” reads more than one way (新增业务收入, 东城县公司; "
        "新增业务收入, 老东城新区营业部); which one? Put a space between the KPI and the "
        "department.")
    query = parse_query(config, viewer(config, "U0CEO"), "新增 东城")  # with a space: clear
    assert query.department is not None
    assert query.department.key == "east"


def test_a_joined_word_never_reaches_a_department_the_viewer_may_not_see(
        config: Config) -> None:
    with pytest.raises(PermissionDenied, match="西城县公司 is not one of them"):
        parse_query(config, viewer(config, "U0EAST"), "西城流失率")
    query = parse_query(config, viewer(config, "U0EAST"), "东城流失率")
    assert query.department is not None
    assert query.department.key == "east"


def test_latin_words_are_never_cut(config: Config) -> None:
    assert list(cuts("incomenorth")) == []
    assert list(cuts("东城a")) == [("东", "城a"), ("东城", "a")]
    with pytest.raises(LookupProblem, match="No KPI you can look up"):
        parse_query(config, viewer(config, "U0CEO"), "incomenorth")
