"""The digest's asks as stored: where each stands, those still waiting from earlier months, and
the manager's words escaped in every file."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session

from summaries.checkins.asks import act_on_ask, open_asks
from summaries.checkins.submissions import record_submission
from summaries.config.schema import Config
from summaries.digest.load import load_digest
from summaries.digest.render import render_html, render_markdown
from summaries.engine.asks import AskAction, AskState
from summaries.periods import Month
from summaries.store.catalog import Catalog

SEP, OCT = Month(2026, 9), Month(2026, 10)
HOSTILE = "Budget for <b>two</b> vans | *now* & <@U0CEO>"


def _submit(db: Session, config: Config, month: Month, text: str, day: int) -> None:
    record_submission(db, config, period=str(month), department="east-county", user="U0EAST",
                      answers={"sales": "On plan.", "problems": text},
                      figures={}, now=datetime(month.year, month.month, day, 8, tzinfo=UTC))


@pytest.fixture
def asked(db: Session, config: Config, catalog: Catalog) -> Session:
    """September raises three asks: one decided, one withdrawn from October's form, one
    still open; October raises one of its own."""
    _submit(db, config, SEP, f"{HOSTILE}\nTwo more installers\nA spare splicer", 28)
    first, second, third = open_asks(db, config, "east-county", OCT)
    moment = datetime(2026, 10, 2, tzinfo=UTC)
    act_on_ask(db, config, ask_id=first.id or 0, user="U0CEO", action=AskAction.REPLY,
               now=moment, text="Send the <quote> first")
    act_on_ask(db, config, ask_id=second.id or 0, user="U0CEO", action=AskAction.DECIDE,
               now=moment, text="Approved")
    act_on_ask(db, config, ask_id=third.id or 0, user="U0EAST", action=AskAction.WITHDRAW,
               now=moment)
    _submit(db, config, OCT, "A fee waiver for the fibre cut", 30)
    db.commit()
    return db


def test_the_digest_lists_the_month_s_asks_and_those_still_waiting_apart(
        asked: Session, config: Config) -> None:
    digest = load_digest(asked, config, OCT)
    assert [a.text for a in digest.asks] == ["A fee waiver for the fibre cut"]
    assert [(a.text, a.state) for a in digest.carried] == [(HOSTILE, AskState.ACKNOWLEDGED)]
    east = digest.department("east-county")
    assert east is not None
    assert [a.text for a in east.carried] == [HOSTILE]
    september = load_digest(asked, config, SEP)
    assert {a.state for a in september.asks} == {AskState.ACKNOWLEDGED, AskState.DECIDED}


def test_the_manager_s_words_are_escaped_in_markdown_and_html(asked: Session,
                                                               config: Config) -> None:
    digest = load_digest(asked, config, OCT)
    markdown = render_markdown(digest)
    assert "### Still open from September (1)" in markdown
    assert "Budget for \\<b\\>two\\</b\\> vans \\| \\*now\\* & \\<@U0CEO\\>" in markdown
    assert "waiting 1 month, acknowledged by U0CEO" in markdown
    assert "Send the \\<quote\\> first" in markdown
    page = render_html(digest)
    assert "<b>two</b>" not in page
    assert "&lt;b&gt;two&lt;/b&gt;" in page
    assert "Still open from September (1)" in page
