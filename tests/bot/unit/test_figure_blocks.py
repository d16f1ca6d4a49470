"""The figures' builders: the confirmation of implausible figures and its lines."""

from __future__ import annotations

import json
from decimal import Decimal

from bot.blocks.plausible import confirmed_mark, implausible_line, plausible_view
from bot.ids import PLAUSIBLE_BACK, FormRef
from summaries.checkins.plausible import Implausible, fingerprint
from summaries.config.schema import Config
from tests.slackstandin import check_view


def test_lines_say_how_far_from_last_month(config: Config) -> None:
    revenue = config.kpi_by_key["revenue"]
    assert implausible_line(Implausible(revenue, Decimal(10592160), Decimal(1059216))) == (
        "*Business income*: 10,592,160 CNY is 10\u00d7 last month's 1,059,216 CNY: "
        "submit anyway?")
    assert implausible_line(Implausible(revenue, Decimal(100), Decimal(1000))) == (
        "*Business income*: 100 CNY is 1/10 of last month's 1,000 CNY: submit anyway?")
    assert "3.5\u00d7" in implausible_line(Implausible(revenue, Decimal(350), Decimal(100)))
    assert implausible_line(Implausible(revenue, Decimal(-5), Decimal(120))) == (
        "*Business income*: -5 CNY against last month's 120 CNY: submit anyway?")
    churn = config.kpi_by_key["churn_rate"]
    assert "0.03% is 1/100 of last month's 3.40%" in implausible_line(
        Implausible(churn, Decimal("0.034"), Decimal("3.4")))


def test_the_confirmation_is_a_valid_view_carrying_the_form_and_the_mark(
        config: Config) -> None:
    found = [Implausible(config.kpi_by_key["revenue"], Decimal(10), Decimal(1))] * 60
    ref = FormRef("2026-10", "east-county", 1, 2)
    view = plausible_view(ref, found, fingerprint(found), Decimal(3))
    assert check_view(view) == []
    assert FormRef.loads(view["private_metadata"]) == ref
    assert confirmed_mark(view["private_metadata"]) == fingerprint(found)
    assert confirmed_mark(json.dumps(ref.dumps())) is None
    back = next(b for b in view["blocks"] if b["type"] == "actions")["elements"][0]
    assert (back["action_id"], FormRef.loads(back["value"])) == (PLAUSIBLE_BACK, ref)
    assert "and 20 more" in json.dumps(view)
