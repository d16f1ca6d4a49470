"""Bad input gets an error under its field and loses nothing; long templates come in steps."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from summaries.config.loader import parse_config
from summaries.store.models import Figure, SectionAnswer, Submission
from tests.slackstandin import check_view, check_view_response
from tests.support.botkit import Bot
from tests.support.flows import EAST_VALUES, inputs, open_form, open_october, submit


def count(session_maker: sessionmaker[Session], model: type) -> int:
    with session_maker() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.mark.parametrize(("field", "value", "message"), [
    # Written as people write them (4,993,120 is taken), but never guessed at.
    ("kpi:revenue", "2,45,0000", "misplaced in '2,45,0000': did you mean 2,450,000?"),
    ("kpi:revenue", "2450,5", "is ambiguous here: did you mean 24,505 or 2,450.5?"),
    ("kpi:revenue", "3%", "not a percentage"),
    ("kpi:revenue", "5万%", "two units"),
    ("kpi:revenue", "lots", "must be a number"),
    ("kpi:revenue", "-5", "must be at least 0"),
    ("kpi:arrears_recovery", "101.5", "must be at most 100%"),
    ("section:sales", "", "Sales and payment collection is required"),
    ("section:sales", "   ", "Sales and payment collection is required"),
    ("section:market", "x" * 3001, "at most 3,000 characters"),
    # One parser and one set of bounds for every way a figure comes in (as CSV imports).
    ("kpi:revenue", "1e1000000", "must be a number"),
    ("kpi:revenue", "1E5", "must be a number"),
    ("kpi:revenue", "NaN", "must be a number"),
    ("kpi:revenue", "Infinity", "must be a number"),
    ("kpi:revenue", "1" + "0" * 2000, "too long for a number"),
    ("kpi:revenue", "123456789012345678901", "too large"),
    ("kpi:revenue", "12.345", "must be a whole number"),
    ("kpi:arrears_recovery", "98.55", "at most 1 decimal place"),
    ("kpi:arrears_recovery", "98.123456789", "more than 8 decimal places"),
])
def test_bad_input_is_answered_under_its_field_and_nothing_is_stored(
        bot: Bot, session_maker: sessionmaker[Session], field: str, value: str,
        message: str) -> None:
    open_october(bot)
    view = open_form(bot, "U0EAST", "east-county")
    reply = submit(bot, "U0EAST", view, {**EAST_VALUES, field: value})
    assert reply.json is not None
    assert check_view_response(reply.json, view) == []
    assert reply.json["response_action"] == "errors"
    assert list(reply.json["errors"]) == [field]
    assert message in reply.json["errors"][field]
    assert count(session_maker, Figure) == 0
    assert count(session_maker, SectionAnswer) == 0
    with session_maker() as session:
        assert session.scalar(select(Submission.status)) in (None, "draft")


def long_template(sections: int, kpis: int) -> str:
    lines = ["organization: {name: Big Co, timezone: Asia/Shanghai, leaders: [U0CEO],",
             "               admins: [U0OPS], leadership_channel: C0LEAD}", "sections:"]
    lines += [f"  - {{key: s{n:02d}, title: Section {n}, required: {str(n == 0).lower()}}}"
              for n in range(sections)]
    lines.append("kpis:")
    lines += [f"  - {{key: k{n:02d}, name: Figure {n}, unit: units, min: 0}}"
              for n in range(kpis)]
    keys = ", ".join(f"k{n:02d}" for n in range(kpis))
    lines += ["departments:", f"  - {{key: east-county, name: East, manager: U0EAST, "
              f"kpis: [{keys}]}}"]
    return "\n".join(lines) + "\n"


def test_a_template_of_sixty_sections_and_sixty_kpis_comes_in_steps(
        make_bot: Callable[..., Bot], session_maker: sessionmaker[Session]) -> None:
    bot = make_bot(parse_config(long_template(60, 60)))
    open_october(bot)
    view = open_form(bot, "U0EAST", "east-county")
    seen: list[str] = []
    typed: dict[str, str] = {}
    steps = 0
    while True:
        steps += 1
        assert check_view(view) == []
        fields = [f for f in inputs(view) if f != "paste"]  # the paste box is no field
        seen += fields
        values = {f: (f"Answer {f}" if f.startswith("section:") else str(len(typed)))
                  for f in fields}
        typed.update(values)
        reply = submit(bot, "U0EAST", view, values)
        if reply.body == "":
            break
        assert reply.json is not None
        assert check_view_response(reply.json, view) == []
        assert reply.json["response_action"] == "update"
        view = {**reply.json["view"], "id": view["id"], "hash": view.get("hash")}
    assert steps == 3
    assert len(seen) == 120
    assert len(set(seen)) == 120
    assert count(session_maker, SectionAnswer) == 60
    assert count(session_maker, Figure) == 60
    with session_maker() as session:
        assert session.scalar(select(Submission.status)) == "submitted"


def test_back_keeps_the_step_and_shows_the_previous_one(
        make_bot: Callable[..., Bot]) -> None:
    bot = make_bot(parse_config(long_template(60, 1)))
    open_october(bot)
    first = open_form(bot, "U0EAST", "east-county")
    reply = submit(bot, "U0EAST", first, {"section:s00": "First answer"})
    assert reply.json is not None
    second = {**reply.json["view"], "id": first["id"]}
    back = next(b for b in second["blocks"] if b["type"] == "actions")
    before = len(bot.slack.ok_calls("views.update"))
    bot.driver.block_action("U0EAST", back["elements"][0]["action_id"],
                            back["elements"][0]["value"], container="view",
                            view=second)
    updated = bot.slack.wait_for("views.update", before + 1)[-1]
    blocks = inputs(updated.params["view"])
    assert blocks["section:s00"]["element"]["initial_value"] == "First answer"
