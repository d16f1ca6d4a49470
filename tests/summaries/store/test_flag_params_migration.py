"""Revision 0010 reads the English sentences flags were stored as back into their facts, so
an existing database's past months read in Chinese after the upgrade."""

from __future__ import annotations

import hashlib
import importlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from summaries.engine.flags import FlagSpec
from summaries.engine.flagwords import flag_text
from summaries.i18n import speaking
from summaries.store.db import make_engine
from summaries.store.flags import stored_flags
from summaries.store.migrate import upgrade
from summaries.store.types import UtcDateTime
from tests.summaries.engine.flagkit import chinese
from tests.summaries.engine.test_flags import said
from tests.support.db import fresh_database
from tests.support.enginekit import Data

migration = importlib.import_module("summaries.store.migrations.versions.0010_flag_params")
KPIS = {"revenue": "Business income", "churn": "Loss rate", "orders": "Orders",
        "avg_order": "Average order", "customers": "Customers"}


def line(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# Every shape the code before 0010 wrote (HEAD's summaries/engine/flags.py): rule, subject,
# sentence. Names with digits and " is " in them, figures without a unit, negative figures.
SHAPES = [
    ("missing", "", "East County has not submitted its summary for 2026-10."),
    ("late", "", "East County 2 submitted its summary for 2026-09 after the close."),
    ("below_target", "", "Business income 2,150,000 CNY is 10.4% below the 2,400,000 CNY "
                         "target."),
    ("below_target", "", "Cost is king 1,250.50 CNY is 4.2% above the 1,200.00 CNY target."),
    ("below_target", "", "Loss rate 8.25% is 6.25 points above the 2.00% target."),
    ("below_target", "", "Share 7% is 3.0 points below the 10% target."),
    ("below_target", "", "Orders 950 is 5.0% below the 1,000 target."),
    ("below_target", "", "Net 2026 -1,500 wan yuan is 50.0% below the -1,000 wan yuan "
                         "target."),
    ("off_pace", "", "Business income year to date is 81.3% of the annual plan, against 83.3% "
                     "due by 2026-10."),
    ("off_pace", "", "Loss rate averages 3.25% this year, against a plan of 2.50%."),
    ("off_pace", "", "Customers stands at 1,200 this year, against a plan of 1,500."),
    ("threshold", "", "Loss rate 3.40% is above the 3.00% control limit."),
    ("threshold", "", "Arrears recovery rate 96.9% is below the 98.0% floor."),
    ("mom_change", "", "Business income fell 36.0% from last month (1,250 CNY \u2192 800 CNY)."),
    ("mom_change", "", "Loss rate rose 21.50 points from last month (2.00% \u2192 23.50%)."),
    ("yoy_change", "", "Business income fell 20.0% from the same month last year "
                       "(1,000 CNY \u2192 800 CNY)."),
    ("yoy_change", "", "Loss rate rose 1.5 points from the same month last year "
                       "(1.5% \u2192 3.0%)."),
    ("streak", "", "Business income has been red for 3 months in a row."),
    ("no_value", "", "Average order could not be calculated: no value for Orders, Revenue."),
    ("no_value", "", "Average order could not be calculated: no value for Orders."),
    ("no_value", "", "Average order could not be calculated: its formula divides by zero."),
    ("raised", f"problems:{line('Vans: two, for November')}",
     "Problems: and requests: Vans: two, for November"),
]


@pytest.mark.parametrize(("rule", "subject", "sentence"), SHAPES,
                         ids=[f"{s[0]}-{n}" for n, s in enumerate(SHAPES)])
def test_every_old_sentence_reads_back_into_facts_that_say_it_again(
        rule: str, subject: str, sentence: str) -> None:
    params = migration.read_sentence(rule, sentence, subject,
                                     kpi_keys={v: k for k, v in KPIS.items()})
    assert params is not None
    assert all(isinstance(v, str) for v in params.values())
    assert flag_text(FlagSpec("east", "gone", rule, "red", params, subject)) == sentence


def test_a_raised_line_splits_where_its_hash_says() -> None:
    _rule, subject, sentence = SHAPES[-1]
    params = migration.read_sentence("raised", sentence, subject)
    assert params == {"section": "problems", "section_title": "Problems: and requests",
                      "text": "Vans: two, for November"}


def test_the_new_code_s_english_reads_back_the_same() -> None:
    data = Data().figure("n1", "revenue", "2026-10", 2150000).submitted("solo", problems="Help")
    data.target("monthly", "revenue", 2400000, dept="n1", month="2026-10")
    data.target("max", "churn", "3.0").figure("solo", "churn", "2026-10", "3.40")
    months: list[str | int | None] = [1000, *[None] * 10, 1250, 800]
    data.series("n2", "revenue", "2025-10", months)
    data.figure("n2", "orders", "2026-10", 0)
    data.target("annual", "revenue", 61680000, dept="n3", year=2026)
    data.series("n3", "revenue", "2026-01", [5013000] * 10)
    report = data.evaluate(closed=True)
    assert {f.rule for f in report.flags} >= {"missing", "below_target", "threshold",
                                              "mom_change", "yoy_change", "no_value",
                                              "off_pace", "raised"}
    for flag in report.flags:
        params = migration.read_sentence(flag.rule, said(flag), flag.subject)
        assert params is not None, said(flag)
        again = FlagSpec(flag.department, flag.kpi, flag.rule, flag.severity, params,
                         flag.subject)
        assert said(again) == said(flag)


@pytest.mark.parametrize("sentence", [
    "Business income is fine.",  # no shape of its rule
    "Business income 2,150,000 CNY is 10.4% below the 2,400,000 EUR target.",  # two units
    "Business income 2,150,000 CNY is 10.42% below the 2,400,000 CNY target.",  # a share
    "Loss rate 8.25% is 6.25% above the 2.00% target.",  # a % KPI's gap is in points
    "Business income 2.150.000 CNY is 10,4\u00a0% below the 2.400.000 CNY target.",  # de
])
def test_sentences_that_do_not_read_back_stay_words(sentence: str) -> None:
    assert migration.read_sentence("below_target", sentence) is None


def test_a_database_that_wrote_numbers_another_way_keeps_its_figures_as_words() -> None:
    rows = [{"id": 1, "kpi_key": "revenue", "rule": "threshold", "subject": "",
             "department": "Ost", "message": "Umsatz 1.250 CNY is above the 1.000 CNY "
                                             "control limit."},
            {"id": 2, "kpi_key": "revenue", "rule": "mom_change", "subject": "",
             "department": "Ost", "message": "Umsatz fell 36,0\u00a0% from last month "
                                             "(1.250 CNY \u2192 800 CNY)."},
            {"id": 3, "kpi_key": "", "rule": "missing", "subject": "", "department": "Ost",
             "message": "Ost has not submitted its summary for 2026-10."}]
    assert [r["flag_id"] for r in migration.convert(rows, {"revenue": "Umsatz"})] == [3]
    assert [r["flag_id"] for r in migration.convert(rows[:1], {"revenue": "Umsatz"})] == [1]


def _tables() -> dict[str, sa.TableClause]:
    moment = UtcDateTime(timezone=True)
    return {
        "departments": sa.table("departments", *map(sa.column, (
            "id", "key", "name", "manager_id", "position", "active"))),
        "kpis": sa.table("kpis", *map(sa.column, (
            "key", "name", "unit", "decimals", "better", "accumulate", "position", "active"))),
        "periods": sa.table("periods", sa.column("id"), sa.column("key"), sa.column("state"),
                            sa.column("created_at", moment)),
        "flags": sa.table("flags", *map(sa.column, (
            "period_id", "department_id", "kpi_key", "rule", "subject", "severity",
            "message")), sa.column("created_at", moment), sa.column("updated_at", moment)),
    }


ROWS = [  # kpi, rule, subject, sentence as 0009 stored it, how it reads in Chinese after
    ("revenue", "below_target", "", SHAPES[2][2],
     "营业收入2,150,000 CNY，较2,400,000 CNY的目标低10.4%。"),
    ("churn", "threshold", "", SHAPES[11][2], "客户流失率3.40%，超过3.00%的控制线。"),
    ("churn", "mom_change", "", SHAPES[14][2],
     "客户流失率环比上升21.50个百分点（2.00% \u2192 23.50%）。"),
    ("revenue", "streak", "", SHAPES[17][2], "营业收入已连续3个月亮红灯。"),
    ("avg_order", "no_value", "", "Average order could not be calculated: no value for Orders.",
     "客单价无法计算：订单数没有数据。"),
    ("", "missing", "", "East County has not submitted its summary for 2026-10.",
     "东区分公司未提交2026年10月的工作总结。"),
    ("", "raised", f"problems:{line('Need vans')}", "Problems and requests: Need vans",
     "问题与请示：Need vans"),
    ("revenue", "off_pace", "", "Garbled words the old code never wrote.",
     "Garbled words the old code never wrote."),
]


def test_an_english_database_reads_in_chinese_after_the_upgrade(tmp_path: Path) -> None:
    now = datetime(2026, 11, 5, tzinfo=UTC)
    with fresh_database(tmp_path) as url:
        engine = make_engine(url, poolclass=sa.pool.NullPool)
        upgrade(engine, "0009")
        t = _tables()
        with engine.begin() as conn:
            conn.execute(sa.insert(t["departments"]), [{
                "id": 1, "key": "east", "name": "East County", "manager_id": "U0E",
                "position": 0, "active": True}])
            conn.execute(sa.insert(t["kpis"]), [
                {"key": key, "name": name, "unit": "", "decimals": 0, "better": "higher",
                 "accumulate": "sum", "position": n, "active": True}
                for n, (key, name) in enumerate(KPIS.items())])
            conn.execute(sa.insert(t["periods"]), [{"id": 1, "key": "2026-10",
                                                    "state": "closed", "created_at": now}])
            conn.execute(sa.insert(t["flags"]), [{
                "period_id": 1, "department_id": 1, "kpi_key": kpi, "rule": rule,
                "subject": subject, "severity": "red", "message": message,
                "created_at": now, "updated_at": now} for kpi, rule, subject, message, _z
                in ROWS])
        upgrade(engine)
        with Session(engine) as session:
            flags = stored_flags(session, "2026-10")
        engine.dispose()
    assert flags is not None
    by_message = {f.sentence: f for f in flags}
    config = chinese()
    for _kpi, _rule, _subject, message, chinese_text in ROWS:
        stored = by_message[message]
        with speaking("zh"):
            assert flag_text(stored, config) == chinese_text
        assert flag_text(stored) == message  # English as before, by the names it kept
    garbled = by_message[ROWS[-1][3]]
    assert garbled.params == {}
