"""The server decides which step of the form a submission is, never the view's metadata."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

import bot.form.handlers as forms_module
from bot.form.state import split_steps
from summaries.config.loader import parse_config
from summaries.store.models import Submission
from tests.support.botkit import Bot, sample_text
from tests.support.flows import inputs, open_form, open_october

PLAN_REQUIRED = {"{key: plan, title: Plan for next month":
                 "{key: plan, title: Plan for next month, required: true"}


@pytest.fixture
def stepped_bot(make_bot: Callable[..., Bot], monkeypatch: pytest.MonkeyPatch) -> Bot:
    """The sample organization with a required section on a later step (three inputs a step)."""
    monkeypatch.setattr(forms_module, "split_steps", lambda fields: split_steps(fields, 3))
    monkeypatch.setattr("bot.form.state.split_steps",
                        lambda fields, per_step=3: split_steps(fields, per_step))
    return make_bot(parse_config(sample_text(**PLAN_REQUIRED)))


def submissions(session_maker: sessionmaker[Session]) -> int:
    with session_maker() as session:
        return session.scalar(select(func.count()).select_from(Submission)
                              .where(Submission.submitted_at.is_not(None))) or 0


@pytest.mark.parametrize("forged", [{"s": 5}, {"s": 3, "n": 4}, {"s": 0, "n": 1}, {"s": -1}])
def test_a_forged_step_cannot_skip_the_required_fields_of_later_steps(
        stepped_bot: Bot, session_maker: sessionmaker[Session], forged: dict[str, int]) -> None:
    bot = stepped_bot
    open_october(bot)
    view = open_form(bot, "U0EAST", "east-county")
    meta = json.loads(view["private_metadata"])
    assert meta["n"] > 1
    assert "section:plan" not in inputs(view)
    # Figures come first now: a number in each figure, text in each section, no paste.
    typed = {k: "written" if k.startswith("section:") else "12" for k in inputs(view)
             if k != "paste"}
    reply = bot.driver.view_submission(
        "U0EAST", {**view, "private_metadata": json.dumps({**meta, **forged})}, typed)
    assert reply.status == 200
    assert submissions(session_maker) == 0
    # The answer is the real next step, from the server's own reckoning.
    assert reply.json is not None
    assert reply.json["response_action"] == "update"
    following = json.loads(reply.json["view"]["private_metadata"])
    assert (following["s"], following["n"]) == (1, meta["n"])


def test_a_view_that_matches_no_step_is_refused_and_saves_nothing(
        stepped_bot: Bot, session_maker: sessionmaker[Session]) -> None:
    bot = stepped_bot
    open_october(bot)
    view = open_form(bot, "U0EAST", "east-county")
    blocks = [b for b in view["blocks"] if b.get("block_id") != "section:market"]
    reply = bot.driver.view_submission("U0EAST", {**view, "blocks": blocks}, {})
    assert reply.json is not None
    assert reply.json["response_action"] == "update"
    assert "out of date" in json.dumps(reply.json["view"])
    assert submissions(session_maker) == 0
