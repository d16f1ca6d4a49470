"""What the check-in's use cases answer a manager, in Chinese for a Chinese reader: the form's
refusals under a field, the reasons a form cannot open, absences and skipped months; English
unchanged outside."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from pydantic import ValidationError
from sqlalchemy.orm import Session

from bot.form.state import check_values
from summaries.checkins.away import end_away, set_away
from summaries.checkins.forms import ensure_fillable
from summaries.checkins.skipping import skip_month
from summaries.checkins.submissions import (
    authorize_department,
    reopen_submission,
    validate_submission,
)
from summaries.config.away import Away
from summaries.config.schema import Config
from summaries.errors import DomainError, PermissionDenied, ValidationFailed
from summaries.i18n import speaking
from summaries.periods import Month

NOW = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)
OCTOBER = Month.parse("2026-10")


def english(text: str, *user: str) -> list[str]:
    for words in user:
        text = text.replace(words, " ")
    return re.findall(r"[A-Za-z]{2,}", re.sub(r"<[^<>]*>", " ", text))


def test_the_forms_refusals_under_a_field_speak_chinese(config: Config) -> None:
    spec = config.department_by_key["key-accounts"]
    typed = {"kpi:revenue": "lots", "kpi:churn_rate": "3%%", "kpi:customers": "1,5",
             "section:sales": "", "carryupdate:1": "x" * 5000}
    with speaking("zh"):
        errors = check_values(config, "key-accounts", typed, list(typed)).errors
        checked = validate_submission(config, spec, {"nope": "x", "sales": "y" * 4000},
                                      {"revenue": Decimal(-5), "zzz": Decimal(1)})
    assert errors["kpi:revenue"] == "须为数字，如4,993,120、499.31万或3.5"
    assert errors["kpi:customers"] == "'1,5'有歧义：您是想输入15还是1.5？"
    assert errors["kpi:churn_rate"].startswith("'3%%'包含两个单位")
    assert errors["carryupdate:1"] == "最多3,000个字符，当前为5,000个"
    assert errors["section:sales"].endswith("为必填项")
    assert checked == {"section:nope": "不是本部门工作总结的栏目",
                       "section:sales": "最多3,000个字符，当前为4,000个",
                       "kpi:revenue": "不得低于0 CNY", "kpi:zzz": "不是本部门的指标"}
    assert all(english(m, "CNY") == [] for m in [*checked.values()])


def test_the_same_refusals_stay_english_outside(config: Config) -> None:
    spec = config.department_by_key["key-accounts"]
    checked = validate_submission(config, spec, {"nope": "x"}, {"revenue": Decimal(-5)})
    assert checked == {"section:nope": "not a section of this department's summary",
                       "kpi:revenue": "must be at least 0 CNY",
                       "section:sales": "Sales and payment collection is required"}


@pytest.mark.usefixtures("catalog")
def test_a_form_that_cannot_open_says_why_in_chinese(db: Session, config: Config) -> None:
    with speaking("zh"):
        with pytest.raises(DomainError) as pending:
            ensure_fillable(db, config, OCTOBER, NOW)
        with pytest.raises(PermissionDenied) as denied:
            authorize_department(config, "east-county", "U0NOBODY", db, NOW)
        with pytest.raises(DomainError) as nothing:
            authorize_department(config, "nowhere", "U0EAST")
        with pytest.raises(PermissionDenied) as admins:
            reopen_submission(db, config, period=OCTOBER, department="east-county",
                              by="U0EAST", now=NOW)
    assert str(pending.value) == "2026年10月的月度汇报尚未开始。"
    assert str(denied.value) == ("只有East County Company的负责人（或其休假期间的代理人）或"
                                 "管理员可以填写该部门的工作总结。")
    assert str(nothing.value) == "不存在部门'nowhere'。"
    assert str(admins.value) == "只有管理员可以重新开放工作总结。"


@pytest.mark.usefixtures("catalog")
def test_absences_and_skipped_months_say_what_is_wrong_in_chinese(db: Session,
                                                                   config: Config) -> None:
    first, last = date(2026, 11, 20), date(2026, 11, 10)
    with speaking("zh"):
        messages = []
        for call in (
                lambda: set_away(db, config, by="U0WEST", manager="U0EAST", first=first,
                                 last=last, deputy="U0DEP", now=NOW),
                lambda: set_away(db, config, by="U0EAST", manager="U0EAST", first=first,
                                 last=last, deputy="U0EAST", now=NOW),
                lambda: set_away(db, config, by="U0EAST", manager="U0EAST", first=first,
                                 last=last, deputy="U0DEP", now=NOW),
                lambda: end_away(db, config, by="U0EAST", manager="U0EAST", now=NOW)):
            with pytest.raises(DomainError) as caught:
                call()
            messages.append(str(caught.value))
        with pytest.raises(ValidationFailed) as empty:
            skip_month(db, config, month=OCTOBER, department="east-county", user="U0EAST",
                       reason=" ", now=NOW)
        with pytest.raises(ValidationError) as configured:
            Away.model_validate({"manager": "U0EAST", "deputy": "U0EAST",
                                 "from": "2026-11-20", "until": "2026-11-10"})
    assert messages == ["只有负责人本人或管理员可以为其设置休假或销假。",
                        "负责人不能指定自己为代理人，请指定其他人。",
                        "结束日期（2026-11-10）早于开始日期（2026-11-20）。",
                        "<@U0EAST>当前未休假。"]
    assert empty.value.errors == {"reason": "请说明本月为何无可汇报事项。"}
    assert "早于开始日期（2026-11-20）" in str(configured.value)
