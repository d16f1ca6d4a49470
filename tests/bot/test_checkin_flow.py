"""A manager's month: prompt, form, submit, confirmation, edits, drafts."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from summaries.config_loader import parse_config
from summaries.models import Department, Figure, Kpi, SectionAnswer, Submission
from tests.bot.conftest import Bot, sample_text
from tests.bot.flows import EAST_VALUES, inputs, open_form, open_october, submit
from tests.slackstandin import check_message, dm_channel


def stored(session_maker: sessionmaker[Session], department: str
           ) -> tuple[Submission | None, dict[str, str], dict[str, Decimal]]:
    with session_maker() as session:
        submission = session.scalars(select(Submission).join(Department).where(
            Department.key == department)).first()
        answers = {a.section_key: a.text for a in session.scalars(
            select(SectionAnswer).join(Submission).join(Department)
            .where(Department.key == department))}
        figures = dict(session.execute(
            select(Kpi.key, Figure.value).join(Kpi).join(Department)
            .where(Department.key == department)).tuples().all())
        return submission, answers, figures


def test_manager_of_two_departments_fills_in_both(
        make_bot: Callable[..., Bot], session_maker: sessionmaker[Session]) -> None:
    config = parse_config(sample_text(**{"manager: U0WEST": "manager: U0EAST"}))
    bot = make_bot(config)
    open_october(bot)
    prompts = [m for m in bot.slack.messages(dm_channel("U0EAST")) if not m.get("thread_ts")]
    assert len(prompts) == 2
    for message in prompts:
        assert check_message(message) == []

    for department, revenue in (("east-county", "2450000"), ("west-county", "1800000")):
        view = open_form(bot, "U0EAST", department)
        fields = inputs(view)
        assert "section:sales" in fields
        assert "kpi:revenue" in fields
        assert "kpi:revenue_per_customer" not in fields
        values = {**EAST_VALUES, "kpi:revenue": revenue}
        reply = submit(bot, "U0EAST", view, values)
        assert reply.body == ""  # the modal closes
        submission, answers, figures = stored(session_maker, department)
        assert submission is not None
        assert submission.status == "submitted"
        assert answers["problems"].startswith("Fibre backlog")
        assert figures["revenue"] == Decimal(revenue)

    confirmations = bot.slack.wait_for("chat.postMessage", 5 + 2)[5:]
    texts = [c.params["text"] for c in confirmations]
    assert all("Summary received" in t for t in texts)
    east = next(c for c in confirmations if "East County" in c.params["text"])
    body = str(east.params["blocks"])
    assert "2,450,000 CNY" in body
    assert "target 2,400,000 CNY (102.1%)" in body
    assert "Fibre backlog in the north villages" in body  # the raised problem is flagged
    assert "<!channel>" not in body
