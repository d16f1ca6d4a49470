"""``/kpi`` through the real HTTP app and the Slack stand-in: every form, matching, refusals."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from summaries.config.loader import parse_config
from tests.slackstandin import dm_channel
from tests.support.botkit import Bot, sample_text
from tests.support.commandkit import ask
from tests.support.flows import seed_figures, text_of

MONTHS = [f"2025-{m:02d}" for m in range(10, 13)] + [f"2026-{m:02d}" for m in range(1, 11)]
WIDE_REVENUE = "".join(chr(ord(c) + 0xFEE0) for c in "REVENUE")  # full-width letters
REVENUE = {"key-accounts": 5_000_000, "east-county": 2_000_000, "west-county": 1_000_000}


def history() -> str:
    """Thirteen months of revenue for three departments, rising 50,000 a month; October
    2026 is East County's 2,450,000 against its 2,400,000 target."""
    rows = ["kpi,department,month,value"]
    for dept, base in REVENUE.items():
        for n, month in enumerate(MONTHS):
            value = 2_450_000 if (dept, month) == ("east-county", "2026-10") else base + n * 50_000
            rows.append(f"revenue,{dept},{month},{value}")
    rows += ["arrears_recovery,east-county,2026-10,97.5", "arrears_recovery,west-county,2026-10,99"]
    return "\n".join(rows) + "\n"


@pytest.fixture
def kbot(bot: Bot) -> Bot:
    seed_figures(bot.deps, history())
    return bot


def test_a_manager_looks_up_their_department_in_full(kbot: Bot) -> None:
    message = ask(kbot, "U0EAST", "/kpi", "revenue east-county")
    text = text_of(message)
    assert "*Business income* · East County Company · October 2026" in text
    assert "2,450,000 CNY" in text  # actual, with unit and the locale's separators
    assert "2,400,000 CNY" in text  # target
    assert "102.1%" in text  # attainment
    assert "+0.0%" not in text
    # September was 2,000,000 + 11 * 50,000 = 2,550,000: -3.9% month over month
    assert "-3.9%" in text or "\u22123.9%" in text
    assert "green" in text
    assert "imported figure" in text


def test_a_month_ytd_and_a_leaders_overview(kbot: Bot) -> None:
    september = text_of(ask(kbot, "U0EAST", "/kpi", "revenue east-county 2026-09"))
    assert "September 2026" in september
    assert "2,550,000 CNY" in september
    ytd = text_of(ask(kbot, "U0CEO", "/kpi", "revenue key-accounts ytd"))
    assert "year to date" in ytd
    assert "61,680,000 CNY" in ytd  # the annual plan
    overview = text_of(ask(kbot, "U0CEO", "/kpi", "revenue"))
    for name in ("Northfield Telecom, City Branch", "Key Account Division",
                 "Marketing Department"):  # the organization and its top departments
        assert name in overview
    assert "9,650,000 CNY" in overview  # the organization's total
    assert "East County Company" not in overview  # below Marketing: one level at a time
    assert "Safety and Environment Office" not in overview  # it does not report revenue
    marketing = text_of(ask(kbot, "U0CEO", "/kpi", "revenue marketing"))
    assert "*Business income* · Marketing Department · October 2026" in marketing
    assert "4,050,000 CNY" in marketing  # rolled up from its two companies
    assert "rolled up from 2 of 2 departments" in marketing
    assert "*East County Company*: 2,450,000 CNY" in marketing
    assert "*West County Company*: 1,600,000 CNY" in marketing


def test_trend_answers_a_table_and_sends_the_chart_by_dm(kbot: Bot) -> None:
    message = ask(kbot, "U0MKT", "/kpi", "revenue east trend")
    text = text_of(message)
    assert "November 2025 \u2013 October 2026" in text
    assert text.count("\n2025-") + text.count("\n2026-") == 12
    assert "direct message" in text
    kbot.slack.wait_for("files.completeUploadExternal")
    [chart] = kbot.slack.uploaded_files()
    assert chart["title"].startswith("Business income · East County Company")
    assert dm_channel("U0MKT") in chart["channels"]


@pytest.mark.parametrize(("typed", "expected"), [
    ("business inc east", "*Business income* · East County Company"),
    ("REVENUE East", "*Business income* · East County Company"),
    ("income west county", "*Business income* · West County Company"),
    ('"arrears recovery" west', "*Arrears recovery rate* · West County Company"),
    ("arr east-county", "*Arrears recovery rate* · East County Company"),
    ('revenue "east', "*Business income* · East County Company"),  # an unbalanced quote
])
def test_kpis_and_departments_match_by_key_or_name_prefix(kbot: Bot, typed: str,
                                                          expected: str) -> None:
    assert expected in text_of(ask(kbot, "U0CEO", "/kpi", typed))


def test_an_ambiguous_word_lists_the_candidates(kbot: Bot) -> None:
    kpis = text_of(ask(kbot, "U0CEO", "/kpi", "rev"))
    assert "could be more than one KPI" in kpis
    assert "`revenue` Business income" in kpis
    assert "`revenue_per_customer`" in kpis
    departments = text_of(ask(kbot, "U0CEO", "/kpi", "revenue county"))
    assert "could be more than one department" in departments
    assert "`east-county` East County Company" in departments
    assert "`west-county` West County Company" in departments


@pytest.mark.parametrize("typed", ["nonsense", "revenue nowhere", "ytd",
                                   "revenue east 2026-13", "revenue east 2026-09 2026-08",
                                   "inspections east"])
def test_bad_words_get_help_never_a_stack_trace(kbot: Bot, typed: str) -> None:
    text = text_of(ask(kbot, "U0CEO", "/kpi", typed))
    assert "Traceback" not in text
    assert "wrong on our side" not in text
    assert any(hint in text for hint in ("Try one of these", "not a month", "one month",
                                         "Name a KPI", "does not report")), text


def test_a_manager_is_refused_a_department_they_do_not_manage(kbot: Bot) -> None:
    text = text_of(ask(kbot, "U0EAST", "/kpi", "revenue west-county"))
    assert "you can look up your own departments only" in text
    assert "2,550,000" not in text
    assert "1," not in text.split("only")[1]
    # the manager of Marketing sees its children, and nothing else
    assert "West County Company" in text_of(ask(kbot, "U0MKT", "/kpi", "revenue west"))
    listing = text_of(ask(kbot, "U0MKT", "/kpi"))
    assert "East County Company" in listing
    assert "Key Account Division" not in listing
    assert "`inspections`" not in listing


def test_someone_without_a_role_is_refused_politely(kbot: Bot) -> None:
    text = text_of(ask(kbot, "U0STRANGER", "/kpi", "revenue"))
    assert "no role" in text
    assert "<@U0OPS>" in text
    assert "CNY" not in text


def test_the_list_shows_what_the_caller_may_see(kbot: Bot) -> None:
    text = text_of(ask(kbot, "U0CEO", "/kpi"))
    assert "`revenue` Business income (CNY)" in text
    assert "`safety` Safety and Environment Office" in text
    assert "/kpi <kpi> trend" in text


def test_names_in_any_language(make_bot: Callable[..., Bot]) -> None:
    config = parse_config(sample_text(**{"East County Company": "东城分公司",
                                         "name: Business income": "name: 业务收入"}))
    bot = make_bot(config)
    seed_figures(bot.deps, history())
    text = text_of(ask(bot, "U0CEO", "/kpi", "业务 东城"))
    assert "*业务收入* · 东城分公司" in text
    assert "2,450,000 CNY" in text
    # full-width letters fold to their plain forms
    assert "*业务收入* · 东城分公司" in text_of(ask(bot, "U0CEO", "/kpi", f"{WIDE_REVENUE} 东"))


def test_the_answer_comes_in_the_acknowledgement_or_right_after_it(
        make_bot: Callable[..., Bot]) -> None:
    quick = make_bot()
    seed_figures(quick.deps, history())
    reply = quick.driver.command("U0EAST", "/kpi", "revenue east")
    assert reply.json is not None
    assert reply.json["response_type"] == "ephemeral"
    assert "2,450,000 CNY" in text_of(reply.json)
    slow = make_bot(ack_budget=0.0)  # the answer is never ready in time: it follows the ack
    reply = slow.driver.command("U0EAST", "/kpi", "revenue east")
    assert reply.status == 200
    assert not reply.body
    assert reply.response_url is not None
    [answer] = slow.slack.wait_for_response(reply.response_url)
    assert answer.params["response_type"] == "ephemeral"
    assert "2,450,000 CNY" in text_of(answer.params)


def test_a_long_overview_fits_one_message_and_counts_the_rest(
        make_bot: Callable[..., Bot]) -> None:
    from tests.support.orgkit import many_departments_text

    bot = make_bot(parse_config(many_departments_text(150)))
    rows = ["kpi,department,month,value"]
    rows += [f"revenue,dept-{n:05d},2026-10,{1000 + n}" for n in range(150)]
    seed_figures(bot.deps, "\n".join(rows) + "\n")
    text = text_of(ask(bot, "U0CEO", "/kpi", "revenue"))  # checked against Slack's limits
    assert "*Department 0*: 1,000 CNY" in text
    assert "more departments not shown" in text


def test_a_kpi_reported_only_below_a_managers_department(
        make_bot: Callable[..., Bot]) -> None:
    # Marketing itself no longer reports arrears recovery; its two companies still do.
    config = parse_config(sample_text(**{
        "manager: U0MKT, kpis: [revenue, arrears_recovery]": "manager: U0MKT, kpis: [revenue]"}))
    bot = make_bot(config)
    seed_figures(bot.deps, history())
    text = text_of(ask(bot, "U0MKT", "/kpi", "arrears"))
    assert "*East County Company*: 97.5%" in text
    assert "Marketing Department" not in text
    trend = text_of(ask(bot, "U0MKT", "/kpi", "arrears trend"))
    assert "East County Company" in trend


@pytest.mark.parametrize(("command", "typed"), [
    ("/kpi", "revenue " + "y" * 3500), ("/kpi", "q" * 3500),
    ("/kpi", "revenue east-county 2026" * 200),
    ("/checkin", "edit " + "9" * 3500)])
def test_what_was_typed_is_quoted_back_cut(kbot: Bot, command: str, typed: str) -> None:
    message = ask(kbot, "U0EAST", command, typed)
    text = text_of(message)
    assert len(text) < 3000
    assert typed[:3000] not in text
