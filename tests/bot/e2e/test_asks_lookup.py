"""``/checkin asks`` and the App Home's asks, through the real HTTP app and the Slack stand-in:
who sees which asks of leadership, open or all, by department, within Slack's limits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.blocks.asklist import AskWords, asks_message
from summaries.access import Viewer, viewer
from summaries.checkins.asks import act_on_ask, find_asks
from summaries.checkins.submissions import record_submission
from summaries.engine.asks import Ask, AskAction, AskState, Event
from summaries.periods import Month
from tests.bot.e2e.test_home import open_home
from tests.slackstandin import check_message
from tests.support.botkit import Bot
from tests.support.commandkit import ask
from tests.support.flows import text_of

EAST, WEST, PARENT, LEADER, ADMIN, STRANGER = (
    "U0EAST", "U0WEST", "U0MKT", "U0CEO", "U0OPS", "U0NOBODY")
LONG = "Replace the ageing " + "fibre splice cabinet " * 20 + "in the north villages"


def raise_asks(bot: Bot, department: str, manager: str, problems: str,
               period: str = "2026-10") -> None:
    """The department's summary of ``period`` with ``problems`` (a section that raises)."""
    with bot.deps.unit_of_work() as session:
        record_submission(session, bot.deps.config, period=period, department=department,
                          user=manager, answers={"sales": "Steady.", "problems": problems},
                          figures={}, now=bot.clock())


def act(bot: Bot, text: str, action: AskAction, user: str = LEADER,
        words: str | None = None) -> None:
    """``user`` does ``action`` to the ask whose text is ``text``."""
    with bot.deps.unit_of_work() as session:
        config = bot.deps.config
        [found] = [a for a in find_asks(session, config, _admin(bot), live_only=False)
                   if a.text == text]
        assert found.id is not None
        act_on_ask(session, config, ask_id=found.id, user=user, action=action,
                   now=bot.clock(), text=words)


def _admin(bot: Bot) -> Viewer:
    return viewer(bot.deps.config, ADMIN)


def seed(bot: Bot) -> None:
    """September: West asks for a van (still open). October: East asks for two things (one
    replied to, one decided), West for a budget."""
    bot.clock.now = datetime(2026, 9, 29, 2, 0, tzinfo=UTC)
    raise_asks(bot, "west-county", WEST, "A second service van", period="2026-09")
    bot.clock.now = datetime(2026, 10, 30, 2, 0, tzinfo=UTC)
    raise_asks(bot, "east-county", EAST,
               "Fibre backlog in the north villages\nNeed two more installers <!channel>")
    raise_asks(bot, "west-county", WEST, "- Budget for the fair")
    act(bot, "Fibre backlog in the north villages", AskAction.REPLY,
        words="Ops will look at it <b>this</b> week")
    act(bot, "Need two more installers <!channel>", AskAction.DECIDE, words="Approved: hire two")


def test_a_manager_sees_their_departments_and_a_leader_everyones(bot: Bot) -> None:
    seed(bot)
    mine = text_of(ask(bot, EAST, "/checkin", "asks"))
    assert "*Open asks of leadership* \u00b7 1" in mine
    assert "\u2022 *East County Company*: Fibre backlog in the north villages" in mine
    assert "acknowledged by <@U0CEO> \u00b7 raised this month" in mine
    assert "Reply from <@U0CEO> (Oct 30): Ops will look at it &lt;b&gt;this&lt;/b&gt; week" \
        in mine
    assert "West County" not in mine
    assert "installers" not in mine

    parent = text_of(ask(bot, PARENT, "/checkin", "asks"))  # Marketing: East and West below
    assert "*Open asks of leadership* \u00b7 3" in parent
    for user in (LEADER, ADMIN):
        everyone = text_of(ask(bot, user, "/checkin", "asks open"))
        assert "*Open asks of leadership* \u00b7 3" in everyone
        october, september = everyone.index("*October 2026* (2)"), everyone.index(
            "*September 2026* (1)")
        assert october < september  # newest month first
        assert "*West County Company*: A second service van" in everyone[september:]
        assert "A second service van\n\u2003open \u00b7 waiting 1 month\n" in everyone
        assert "*West County Company*: Budget for the fair" in everyone[october:september]


def test_all_shows_every_state_with_the_last_reply_escaped(bot: Bot) -> None:
    seed(bot)
    act(bot, "Budget for the fair", AskAction.WITHDRAW, user=WEST)
    everyone = text_of(ask(bot, LEADER, "/checkin", "asks all"))
    assert "*Asks of leadership* \u00b7 4" in everyone
    assert "Need two more installers &lt;!channel&gt;" in everyone
    assert "<!channel>" not in everyone
    assert "decided by <@U0CEO> on Oct 30" in everyone
    assert "Decision from <@U0CEO> (Oct 30): Approved: hire two" in everyone
    assert "Budget for the fair" in everyone
    assert "withdrawn" in everyone
    assert "Budget" not in text_of(ask(bot, LEADER, "/checkin", "asks"))
    assert "Choose open or all" in text_of(ask(bot, LEADER, "/checkin", "asks open all"))


def test_a_department_by_key_or_name_and_a_refusal_for_anothers(bot: Bot) -> None:
    seed(bot)
    west = text_of(ask(bot, LEADER, "/checkin", "asks west"))
    assert "*Open asks of leadership* of West County Company \u00b7 2" in west
    assert "East County" not in west
    east = text_of(ask(bot, EAST, "/checkin", "asks all east-county"))
    assert "*Asks of leadership* of East County Company \u00b7 2" in east
    refused = text_of(ask(bot, EAST, "/checkin", "asks West County"))
    assert "You can only see the asks of the departments you manage." in refused
    assert "van" not in refused
    assert "Which department?" in text_of(ask(bot, LEADER, "/checkin", "asks nowhere"))
    assert "No open asks of leadership of Safety" in text_of(
        ask(bot, LEADER, "/checkin", "asks safety"))


def test_someone_without_a_role_is_refused_and_help_lists_asks(bot: Bot) -> None:
    seed(bot)
    refused = text_of(ask(bot, STRANGER, "/checkin", "asks all"))
    assert "you have no role" in refused
    assert "van" not in refused
    assert "Fibre" not in refused
    for user in (EAST, LEADER, ADMIN):
        assert "`/checkin asks [open|all] [department]`" in text_of(
            ask(bot, user, "/checkin", "help"))


def test_a_long_ask_is_shortened_at_a_word_and_says_so(bot: Bot) -> None:
    raise_asks(bot, "east-county", EAST, LONG)
    text = text_of(ask(bot, EAST, "/checkin", "asks"))
    [line] = [line for line in text.splitlines() if "Replace the ageing" in line]
    assert line.endswith("\u2026 _(shortened)_")
    assert "in the north villages" not in line
    assert "cabinet\u2026" in line or "splice\u2026" in line or "fibre\u2026" in line


def test_the_home_shows_a_leader_every_open_ask_oldest_first(bot: Bot) -> None:
    seed(bot)
    text = text_of(open_home(bot, LEADER))
    assert "*Open asks of leadership* \u00b7 3, oldest first" in text
    van, fibre = text.index("A second service van"), text.index("Fibre backlog")
    assert van < fibre
    assert "A second service van\n\u2003open \u00b7 waiting 1 month\n" in text
    assert "installers" not in text  # decided
    assert text.index("Open asks of leadership") < text.index("*All departments*")


def test_the_home_shows_a_manager_their_own_open_asks_with_the_reply(bot: Bot) -> None:
    seed(bot)
    text = text_of(open_home(bot, EAST))
    assert "*Open asks of leadership* from your departments \u00b7 1, oldest first" in text
    assert "acknowledged by <@U0CEO> \u00b7 raised this month" in text
    assert "Reply from <@U0CEO> (Oct 30): Ops will look at it" in text
    assert "van" not in text
    assert "Budget" not in text
    assert "*Open asks of leadership* from your departments: none." in text_of(
        open_home(bot, "U0SAFE"))


def test_a_long_home_list_is_capped_with_how_many_more(bot: Bot) -> None:
    raise_asks(bot, "east-county", EAST, "\n".join(f"Ask number {n:02d}" for n in range(14)))
    home = open_home(bot, LEADER)
    text = text_of(home)
    assert "*Open asks of leadership* \u00b7 14, oldest first" in text
    assert "Ask number 09" in text
    assert "Ask number 10" not in text
    assert "\u2026and 4 more: `/checkin asks`" in text


def synthetic(count: int) -> list[Ask]:
    """``count`` asks of about 300 characters over several months, each with a reply."""
    at = datetime(2026, 10, 1, tzinfo=UTC)
    asks = []
    for n in range(count):
        month = Month(2026, 10).shift(-(n // 40))
        text = f"Ask {n:03d} <@U0X> " + "word " * 60
        reply = Event(AskAction.REPLY, "U0CEO", at + timedelta(minutes=n),
                      AskState.OPEN, AskState.ACKNOWLEDGED, "Noted " * 50)
        asks.append(Ask("east-county", "Problems", text, f"problems:{n}", id=n,
                        period=str(month), state=AskState.ACKNOWLEDGED,
                        history=(Event(AskAction.RAISE, "U0EAST", at, None, AskState.OPEN),
                                 reply)))
    return asks


def test_a_long_list_fits_one_message_and_says_how_many_more() -> None:
    asks = synthetic(200)
    words = AskWords({"east-county": "East & County"}, Month(2026, 10))
    message = asks_message(asks, words, every_state=False)
    assert check_message(message) == []
    assert len(message["blocks"]) <= 50
    assert all(len(b["text"]["text"]) <= 3000 for b in message["blocks"]
               if b["type"] == "section")
    text = text_of(message)
    shown = sum(1 for line in text.splitlines() if line.startswith("\u2022 "))
    assert 0 < shown < 200
    assert f"\u2026and {200 - shown} more not shown." in text
    assert "<@U0X>" not in text
    assert "&lt;@U0X&gt;" in text
    assert "East &amp; County" in text
