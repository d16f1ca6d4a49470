"""A cycle step by name: what the ledger stores and the scheduler's jobs carry."""

from __future__ import annotations

import pytest

from bot.cycle.steps import Step


def test_a_step_reads_its_kind_and_round_and_is_still_its_name() -> None:
    assert (Step("open").kind, Step("open").round) == ("open", 0)
    assert (Step("remind2").kind, Step("remind2").round) == ("remind", 2)
    assert (Step("close").kind, Step("close").round) == ("close", 0)
    assert Step.reminder(3) == "remind3"  # stored and compared as its name


@pytest.mark.parametrize("name", ["", "remind", "remind0", "remind-1", "reminder1", "Open",
                                  "close@+0100", "open@", "open@Europe/Berlin", "open@+2500",
                                  "remind1@0100", "open@+01:00"])
def test_anything_else_is_not_a_step(name: str) -> None:
    with pytest.raises(ValueError, match="unknown step"):
        Step(name)


def test_an_open_or_a_reminder_may_run_per_utc_offset() -> None:
    berlin, chicago = Step("open@+0100"), Step.reminder(2, "-0500")
    assert (berlin.kind, berlin.round, berlin.offset) == ("open", 0, "+0100")
    assert (chicago, chicago.kind, chicago.round, chicago.offset) == (
        "remind2@-0500", "remind", 2, "-0500")
    assert Step("remind2").offset is None
    assert len(Step.reminder(20, "-0930")) <= 16  # the ledger's column
