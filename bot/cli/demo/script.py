"""What the demo's people do, in each language the example is written in: leadership's answers
to September's asks, what two managers do with them in October's form, the answers given from
October's digest, and what a leader asks ``/kpi``.

Only the words differ between languages: who acts, when and how is the same. The words are
the example's people's own (like ``answers-*.yaml``), not the bot's, so no catalogue has them.
"""

# ruff: noqa: RUF001 (Chinese is written with its full-width punctuation)
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path

from summaries.checkins.forms import WITHDRAW
from summaries.engine.asks import AskAction


@dataclass(frozen=True)
class Answer:
    """What a leader does to one of September's asks, found by its department and words."""

    department: str
    words: str  # a few words of the ask
    by: str
    at: datetime
    action: AskAction
    text: str | None = None
    assignee: str | None = None


@dataclass(frozen=True)
class Carried:
    """A manager's choice about one of September's asks in October's form."""

    words: str  # a few words of the ask
    choice: str | None  # WITHDRAW, or None to keep it
    update: str | None  # news added to it


@dataclass(frozen=True)
class Script:
    """The example in one language: its folder (``checkin.yaml`` and ``answers-*.yaml``), the
    history it shares with every language, and what its people do."""

    folder: Path
    history: Path
    answers: tuple[Answer, ...]
    carried: dict[str, Carried]
    october: tuple[tuple[str, str, AskAction, str | None], ...]
    questions: tuple[str, ...]


def _september(words: tuple[tuple[str, str | None], ...]) -> tuple[Answer, ...]:
    """Leadership's answers before October's cycle opens: one decided, one declined, one
    assigned, one acknowledged with a reply; the rest wait. ``words``: each ask's words and
    the reply."""
    moves = (("key-accounts", "U0CEO", datetime(2026, 10, 2, 2, 30, tzinfo=UTC),
              AskAction.DECIDE, None),
             ("key-accounts", "U0CEO", datetime(2026, 10, 2, 2, 40, tzinfo=UTC),
              AskAction.DECLINE, None),
             ("east-county", "U0CEO", datetime(2026, 10, 2, 3, 0, tzinfo=UTC),
              AskAction.ASSIGN, "U0DEPUTY"),
             ("north-county", "U0DEPUTY", datetime(2026, 10, 5, 6, 0, tzinfo=UTC),
              AskAction.REPLY, None))
    return tuple(Answer(department, ask, by, at, action, text, assignee)
                 for (department, by, at, action, assignee), (ask, text)
                 in zip(moves, words, strict=True))


def _example() -> Path:
    return Path(str(files("summaries") / "example"))


def script_for(locale: str) -> Script:
    """The example and its people's words in ``locale`` (``en`` or ``zh``)."""
    example = _example()
    if locale == "zh":
        return Script(
            folder=example / "zh", history=example / "history",
            answers=_september((
                ("续约九折", "同意，年底前签约的续约客户均可享受；请在12月的工作总结中汇报"
                             "保住了多少客户。"),
                ("增配一名客户经理", "今年不再增加编制，由市场部抽调一人支援园区营销。"),
                ("流动营销车", None),
                ("本地资费套餐", "11月提交价格委员会研究，请报送相关小区的数据。"))),
            # Customer Service withdraws one (settled within its own budget), North County
            # adds news to another.
            carried={"customer-service": Carried("加班费", WITHDRAW, None),
                     "north-county": Carried("本地资费套餐", None,
                                             "10月联通又签下三个小区，相关小区数据已列入"
                                             "本月计划。")},
            october=(("customer-service", "减免", AskAction.DECIDE,
                      "同意，对因光缆中断断网的用户减免10月月租费。"),
                     ("key-accounts", "集团套餐", AskAction.ACKNOWLEDGE, None)),
            questions=("", "业务收入", "客户流失率 大客户部", "业务收入 趋势"))
    return Script(
        folder=example, history=example / "history",
        answers=_september((
            ("renewal discount", "Approved for renewals signed before the end of the year; "
                                 "report what it kept in December's summary."),
            ("second account manager", "No new headcount this year: Marketing lends you one "
                                       "person for the park's campaign."),
            ("roadshow vans", None),
            ("local tariff package", "We take it to the pricing committee in November; send "
                                     "the estates' figures."))),
        carried={"customer-service": Carried("overtime pay", WITHDRAW, None),
                 "north-county": Carried("local tariff package", None,
                                         "Unicom signed three more estates in October; the "
                                         "estates' figures are in this month's plan.")},
        october=(("customer-service", "fee waiver", AskAction.DECIDE,
                  "Approved: waive October's monthly fee for the households the fibre cut took "
                  "offline."),
                 ("key-accounts", "group packages", AskAction.ACKNOWLEDGE, None)),
        questions=("", "revenue", "churn key-accounts", "revenue trend"))
