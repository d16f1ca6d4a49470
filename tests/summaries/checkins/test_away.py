"""Who acts for a department at a moment (SPEC 5.3): the configuration's ``away:``, absences set
from Slack that win on the days they cover, and ``back``; a deputy's rights."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

import pytest
from sqlalchemy.orm import Session

from summaries.checkins.away import (
    absence_of,
    confirmation_recipients,
    end_away,
    recipient,
    set_away,
)
from summaries.checkins.submissions import authorize_department
from summaries.config.away import Away
from summaries.config.schema import Config
from summaries.errors import DomainError, PermissionDenied

# Past midnight in Shanghai, Oct 31, while still Oct 30 in UTC: days are the organization's.
EARLY_ON_31ST = datetime(2026, 10, 30, 16, 30, tzinfo=UTC)
ON_31ST = datetime(2026, 10, 31, 2, 0, tzinfo=UTC)


def away_config(config: Config) -> Config:
    entry = Away.model_validate({"manager": "U0EAST", "deputy": "U0DEP",
                                 "from": "2026-10-31", "until": "2026-11-06"})
    return dataclasses.replace(config, away=(entry,))


def deputy_on(db: Session, config: Config, at: datetime) -> str | None:
    absence = absence_of(db, config, "U0EAST", at)
    return absence.deputy if absence is not None else None


def test_the_configured_deputy_acts_on_the_organization_s_days(db: Session,
                                                              config: Config) -> None:
    config = away_config(config)
    east = config.department_by_key["east-county"]
    assert recipient(db, config, east, datetime(2026, 10, 30, 15, 0, tzinfo=UTC)) == "U0EAST"
    assert recipient(db, config, east, EARLY_ON_31ST) == "U0DEP"  # Oct 31 in Shanghai
    assert recipient(db, config, east, datetime(2026, 11, 6, 15, 59, tzinfo=UTC)) == "U0DEP"
    assert recipient(db, config, east, datetime(2026, 11, 6, 16, 0, tzinfo=UTC)) == "U0EAST"


def test_a_deputy_may_fill_in_only_while_acting(db: Session, config: Config) -> None:
    config = away_config(config)
    assert authorize_department(config, "east-county", "U0DEP", db, ON_31ST).key == "east-county"
    with pytest.raises(PermissionDenied):
        authorize_department(config, "east-county", "U0DEP", db,
                             datetime(2026, 11, 10, tzinfo=UTC))
    with pytest.raises(PermissionDenied):
        authorize_department(config, "west-county", "U0DEP", db, ON_31ST)
    with pytest.raises(PermissionDenied):  # without a session nobody's absence is known
        authorize_department(config, "east-county", "U0DEP")


def test_stored_absences_win_and_back_ends_even_a_configured_one(db: Session,
                                                                config: Config) -> None:
    config = away_config(config)
    set_away(db, config, by="U0EAST", manager="U0EAST", first=date(2026, 11, 2),
             last=date(2026, 11, 3), deputy="U0WEST", now=ON_31ST)
    assert deputy_on(db, config, datetime(2026, 11, 2, 2, tzinfo=UTC)) == "U0WEST"
    assert deputy_on(db, config, datetime(2026, 11, 4, 2, tzinfo=UTC)) == "U0DEP"
    ended = end_away(db, config, by="U0OPS", manager="U0EAST", now=ON_31ST)
    assert ended.deputy == "U0DEP"
    assert absence_of(db, config, "U0EAST", ON_31ST) is None
    assert absence_of(db, config, "U0EAST", datetime(2026, 11, 5, 2, tzinfo=UTC)) is None


def test_setting_away_is_checked(db: Session, config: Config) -> None:
    def attempt(by: str, manager: str, first: str, last: str, deputy: str) -> None:
        set_away(db, config, by=by, manager=manager, first=date.fromisoformat(first),
                 last=date.fromisoformat(last), deputy=deputy, now=ON_31ST)

    with pytest.raises(PermissionDenied):
        attempt("U0WEST", "U0EAST", "2026-11-20", "2026-11-30", "U0DEP")
    with pytest.raises(DomainError, match="manages no department"):
        attempt("U0OPS", "U0NOBODY", "2026-11-20", "2026-11-30", "U0DEP")
    with pytest.raises(DomainError, match="comes before"):
        attempt("U0EAST", "U0EAST", "2026-11-30", "2026-11-20", "U0DEP")
    with pytest.raises(DomainError, match="has passed"):
        attempt("U0EAST", "U0EAST", "2026-10-01", "2026-10-20", "U0DEP")
    with pytest.raises(DomainError, match="own deputy"):
        attempt("U0EAST", "U0EAST", "2026-11-20", "2026-11-30", "U0EAST")
    with pytest.raises(DomainError, match="not away"):
        end_away(db, config, by="U0EAST", manager="U0EAST", now=ON_31ST)


def test_confirmations_go_to_manager_and_deputy_but_an_admin_s_edit_stays_theirs(
        db: Session, config: Config) -> None:
    config = away_config(config)
    assert confirmation_recipients(db, config, "east-county", "U0DEP", ON_31ST) == [
        "U0DEP", "U0EAST"]
    assert confirmation_recipients(db, config, "east-county", "U0EAST", ON_31ST) == [
        "U0EAST", "U0DEP"]
    assert confirmation_recipients(db, config, "east-county", "U0OPS", ON_31ST) == ["U0OPS"]
    assert confirmation_recipients(db, config, "west-county", "U0WEST", ON_31ST) == ["U0WEST"]
