"""An evaluation reads only the months it needs, and finds what reading every month found."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from summaries.checkins import evaluation
from summaries.checkins.evaluation import first_month_needed, months_needed
from summaries.config.loader import parse_config
from summaries.config.schema import Config
from summaries.digest.load import load_month
from summaries.periods import Month, months_between
from summaries.store.models import Period


def variant(folder: Path, fiscal_year_start: int, streak_months: int) -> Config:
    """The demo's configuration with another fiscal year and streak length."""
    text = (folder / "checkin.yaml").read_text(encoding="utf-8")
    assert "fiscal_year_start: 1 " in text
    assert "streak_months: 3 " in text
    text = text.replace("fiscal_year_start: 1 ", f"fiscal_year_start: {fiscal_year_start} ", 1)
    return parse_config(text.replace("streak_months: 3 ", f"streak_months: {streak_months} ", 1))


def printed(found: tuple[object, ...]) -> str:
    report, trend = found
    return repr((report, trend))


@pytest.mark.parametrize(("start", "streak"), [(1, 3), (4, 5), (10, 2)])
def test_a_month_read_in_part_is_the_month_read_whole(
        demo_sessions: sessionmaker[Session], demo_folder: Path, start: int, streak: int,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Every month of the demo's history, its cells, flags and trend, as when every month
    from a year back (or the start of a streak's year) was read."""
    config = variant(demo_folder, start, streak)
    with demo_sessions() as session:
        keys = sorted(session.scalars(select(Period.key)))
        months = months_between(Month.parse(keys[0]), Month.parse(keys[-1]))
        assert len(months) >= 13
        in_part = [printed(load_month(session, config, month, closed=None))
                   for month in months]
        monkeypatch.setattr(evaluation, "months_needed", lambda config, month: months_between(
            first_month_needed(config, month), month))
        whole = [printed(load_month(session, config, month, closed=None)) for month in months]
    assert in_part == whole


def test_the_months_an_evaluation_reads() -> None:
    """The year to date of each month of a streak, the month before and the month a year
    before; from the first month needed on."""
    text = (Path(__file__).parents[3] / "summaries" / "example" / "checkin.yaml").read_text(
        encoding="utf-8")
    config = parse_config(text)  # fiscal year from January, streaks of three months
    assert months_needed(config, Month(2026, 10)) == [
        Month(2025, 10), *months_between(Month(2026, 1), Month(2026, 10))]
    assert months_needed(config, Month(2026, 2)) == months_between(Month(2025, 1),
                                                                    Month(2026, 2))
    assert months_needed(config, Month(2026, 12)) == months_between(Month(2025, 12),
                                                                    Month(2026, 12))
    for month in months_between(Month(2025, 1), Month(2026, 12)):
        assert months_needed(config, month)[0] == first_month_needed(config, month)
