"""A cycle step by name: what the ledger stores and the scheduler's jobs carry."""

from __future__ import annotations

import pytest

from bot.cycle.steps import Step, step_names
from summaries.config.schema import Config


def test_a_step_reads_its_kind_and_round_and_is_still_its_name() -> None:
    assert (Step("open").kind, Step("open").round) == ("open", 0)
    assert (Step("remind2").kind, Step("remind2").round) == ("remind", 2)
    assert (Step("close").kind, Step("close").round) == ("close", 0)
    assert Step.reminder(3) == "remind3"  # stored and compared as its name


@pytest.mark.parametrize("name", ["", "remind", "remind0", "remind-1", "reminder1", "Open"])
def test_anything_else_is_not_a_step(name: str) -> None:
    with pytest.raises(ValueError, match="unknown step"):
        Step(name)


def test_a_cycle_runs_open_each_reminder_and_close_in_order(config: Config) -> None:
    reminders = [f"remind{n}" for n in range(1, len(config.schedule.reminders) + 1)]
    assert step_names(config) == ["open", *reminders, "close"]
    assert all(isinstance(step, Step) for step in step_names(config))
