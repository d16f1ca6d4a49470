"""The form's pure parts: steps, Slack state, checks."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.form.state import check_values, read_state, split_steps
from bot.ids import FormRef
from summaries.config.schema import Config


@given(st.integers(min_value=0, max_value=400), st.integers(min_value=1, max_value=60))
def test_steps_keep_every_field_once_in_order_within_the_limit(count: int, per: int) -> None:
    fields = [f"kpi:k{n}" for n in range(count)]
    steps = split_steps(fields, per)
    assert [f for step in steps for f in step] == fields
    assert all(len(step) <= per for step in steps)
    assert len(steps) == max(1, -(-count // per))


def test_form_reference_round_trips_and_rejects_foreign_metadata() -> None:
    ref = FormRef("2026-10", "east-county", 1, 3)
    assert FormRef.loads(ref.dumps()) == ref
    assert not ref.last_step
    assert ref.at(2).last_step
    for bad in ("", "{}", "[1]", "not json"):
        with pytest.raises(ValueError, match="not a check-in form"):
            FormRef.loads(bad)


def test_state_reads_only_checkin_inputs_and_empty_as_none() -> None:
    view = {"state": {"values": {
        "section:sales": {"value": {"type": "plain_text_input", "value": "Good month"}},
        "kpi:revenue": {"value": {"type": "number_input", "value": "2450000"}},
        "kpi:customers": {"value": {"type": "number_input", "value": None}},
        "section:plan": {"value": {"type": "plain_text_input", "value": ""}},
        "nav": {"checkin_back": {"type": "button"}},
    }}}
    assert read_state(view) == {"section:sales": "Good month", "kpi:revenue": "2450000",
                                "kpi:customers": None, "section:plan": None}


def test_checks_split_answers_and_figures(config: Config) -> None:
    checked = check_values(config, "east-county", {
        "section:sales": "Fine", "kpi:revenue": " 2450000 ", "kpi:arrears_recovery": None},
        ["section:sales", "kpi:revenue", "kpi:arrears_recovery", "section:plan"])
    assert checked.errors == {}
    assert checked.answers == {"sales": "Fine", "plan": ""}
    assert checked.figures == {"revenue": Decimal(2450000), "arrears_recovery": None}


def test_checks_only_report_fields_of_this_step(config: Config) -> None:
    checked = check_values(config, "east-county", {"kpi:revenue": "1e400x"}, ["kpi:revenue"])
    assert list(checked.errors) == ["kpi:revenue"]  # not the required section of another step
    infinite = check_values(config, "east-county", {"kpi:revenue": "Infinity"}, ["kpi:revenue"])
    assert "must be a number" in infinite.errors["kpi:revenue"]
