"""Flags read in the reader's language, worded from the facts they keep."""

from __future__ import annotations

import pytest

from summaries.engine.flags import FlagSpec
from summaries.engine.flagwords import flag_text
from summaries.i18n import speaking
from tests.summaries.engine.flagkit import CASES, chinese, flag, kpi_flag
from tests.summaries.engine.test_flags import said
from tests.support.enginekit import Data

ENGLISH_WORDS = ("below", "above", "target", "month", "plan", "calculated", "submitted",
                 "points", "floor", "limit", "red", "year")


@pytest.mark.parametrize(("flag", "english", "chinese_text"), CASES,
                         ids=[f"{c[0].rule}-{n}" for n, c in enumerate(CASES)])
def test_every_rule_reads_in_english_and_in_chinese(flag: FlagSpec, english: str,
                                                    chinese_text: str) -> None:
    assert flag_text(flag) == english  # the names the flag kept: no configuration
    with speaking("zh_CN"):
        worded = flag_text(flag, chinese())
    assert worded == chinese_text
    assert not any(word in worded.lower() for word in ENGLISH_WORDS)


def test_english_is_english_outside_any_reader_and_inside_an_english_one() -> None:
    below = CASES[2][0]
    with speaking("en"):
        assert flag_text(below, chinese()) == (
            "营业收入 2,150,000 CNY is 10.4% below the 2,400,000 CNY target.")


def test_the_configuration_names_the_kpi_and_its_missing_inputs() -> None:
    lacking = kpi_flag("no_value", "avg_order", "CNY", 2, missing="orders,gone",
                       **{"name.gone": "Retired KPI"})
    with speaking("zh_CN"):
        assert flag_text(lacking, chinese()) == "客单价无法计算：订单数、Retired KPI没有数据。"
    assert flag_text(flag("raised", section="left", section_title="Asks", text="x"),
                     chinese()) == "Asks: x"


def test_a_flag_kept_as_words_reads_as_written() -> None:
    old = FlagSpec("east", "revenue", "below_target", "red", {},
                   sentence="Revenue 1.250 CNY is 10,0\xa0% below the 1.389 CNY target.")
    with speaking("zh_CN"):
        assert flag_text(old, chinese()) == old.sentence


def test_derived_flags_read_in_chinese_with_the_readers_numbers() -> None:
    data = Data().figure("n1", "revenue", "2026-10", 2150000)
    data.target("monthly", "revenue", 2400000, dept="n1", month="2026-10")
    data.series("solo", "churn", "2026-09", ["2.00", "23.50"])
    report = data.evaluate(closed=True)
    with speaking("zh_CN"):
        texts = [said(f) for f in report.flags]
    assert "Revenue2,150,000 CNY，较2,400,000 CNY的目标低10.4%。" in texts
    assert "Loss rate环比上升21.50个百分点（2.00% \u2192 23.50%）。" in texts
    assert "Solo Office未提交2026年10月的工作总结。" in texts
    with speaking("de"):  # a reader of another language: English words, their numbers
        german = [said(f) for f in report.flags if f.rule == "below_target"]
    assert german == ["Revenue 2.150.000 CNY is 10,4\xa0% below the 2.400.000 CNY target."]
