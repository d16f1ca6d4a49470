"""What ``/kpi`` adds to a department's month: the stretch target reached, the department's
place among its siblings (and of those below it), and who revised a figure and when."""

from __future__ import annotations

import re

import pytest

from summaries.imports.importers import import_figures, import_targets
from tests.support.botkit import Bot
from tests.support.commandkit import ask
from tests.support.flows import seed_figures, text_of

from .test_kpi_command import history

# October 2026: Key Accounts 5,600,000 (112.0% of 5,000,000), Marketing 4,050,000 (103.8% of
# its companies' 3,900,000), East County 2,450,000 (102.1% of 2,400,000, stretch 2,800,000),
# West County 1,600,000 (106.7% of 1,500,000).
TARGETS = """\
kpi,department,month,target,stretch
revenue,key-accounts,2026-10,5000000,
revenue,west-county,2026-10,1500000,
"""


@pytest.fixture
def kbot(bot: Bot) -> Bot:
    seed_figures(bot.deps, history())
    with bot.deps.unit_of_work() as session:
        import_targets(session, bot.deps.config, TARGETS, filename="targets.csv", by="U0OPS")
    return bot


def test_a_department_shows_its_stretch_and_its_place_among_its_siblings(kbot: Bot) -> None:
    text = text_of(ask(kbot, "U0EAST", "/kpi", "revenue east-county"))
    assert "*Stretch target*\n87.5% of the 2,800,000 CNY stretch" in text
    assert "*Rank by attainment*\n2nd of 2 under Marketing Department" in text
    assert "revised" not in text  # given once, never changed


def test_a_top_level_department_ranks_those_below_it(kbot: Bot) -> None:
    text = text_of(ask(kbot, "U0CEO", "/kpi", "revenue marketing"))
    # Marketing (103.8%) is below Key Accounts (112.0%), but the top level is not ranked in
    # a lookup: it would read the whole organization's month.
    assert "Rank by attainment" not in text
    assert "Stretch target" not in text  # West has no stretch: its parent's does not add up
    [east] = [line for line in text.splitlines() if "*East County Company*" in line]
    [west] = [line for line in text.splitlines() if "*West County Company*" in line]
    assert east.endswith("2nd of 2")
    assert "87.5% of the 2,800,000 CNY stretch" in east
    assert west.endswith("1st of 2")
    overview = text_of(ask(kbot, "U0CEO", "/kpi", "revenue"))
    assert " of 2" not in overview  # places belong to a department's answer


def test_without_a_sibling_to_compare_there_is_no_rank(kbot: Bot) -> None:
    text = text_of(ask(kbot, "U0CEO", "/kpi", "revenue key-accounts 2026-09"))
    assert "Rank by attainment" not in text  # no September targets: no attainment to rank
    assert "Stretch target" not in text


def test_a_figure_changed_after_it_was_given_says_when_and_by_whom(kbot: Bot) -> None:
    with kbot.deps.unit_of_work() as session:
        import_figures(session, kbot.deps.config, "kpi,department,month,value\n"
                       "revenue,east-county,2026-10,2390000\n", filename="fix.csv")
    text = text_of(ask(kbot, "U0EAST", "/kpi", "revenue east-county"))
    assert "2,390,000 CNY" in text
    assert re.search(r"revised <!date\^\d+\^[^|]+\|[^>]+> by import:fix\.csv", text), text
    assert "*Rank by attainment*\n2nd of 2 under Marketing Department" in text
    marketing = text_of(ask(kbot, "U0MKT", "/kpi", "revenue marketing"))
    [east] = [line for line in marketing.splitlines() if "*East County Company*" in line]
    [west] = [line for line in marketing.splitlines() if "*West County Company*" in line]
    assert "_revised <!date^" in east
    assert east.endswith("by import:fix.csv_")
    assert "revised" not in west
    earlier = text_of(ask(kbot, "U0EAST", "/kpi", "revenue east-county 2026-09"))
    assert "revised" not in earlier  # the revision is October's
