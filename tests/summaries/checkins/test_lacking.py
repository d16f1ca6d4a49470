"""What a summary still lacks (for the reminders) and who has none in at the close."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session

from summaries.checkins.lacking import Lacking, drafts_lacking, missing, not_handed_in
from summaries.checkins.submissions import record_submission, save_draft
from summaries.config.schema import Config
from summaries.imports.importers import import_figures
from summaries.periods import Month

pytestmark = pytest.mark.usefixtures("catalog")
AT = datetime(2026, 10, 30, 3, 0, tzinfo=UTC)
OCTOBER = Month.parse("2026-10")


def lacking(db: Session, config: Config, *keys: str) -> dict[str, Lacking]:
    return drafts_lacking(db, config, OCTOBER, [config.department_by_key[k] for k in keys])


def test_nothing_stored_lacks_everything_and_derived_kpis_are_not_asked(
        db: Session, config: Config) -> None:
    # Key Accounts: eight sections; six KPIs typed in (output per customer is derived).
    assert lacking(db, config, "key-accounts", "safety") == {
        "key-accounts": Lacking(8, 8, 6, 6), "safety": Lacking(4, 4, 1, 1)}
    assert drafts_lacking(db, config, OCTOBER, []) == {}


def test_the_draft_counts_where_it_has_a_field_and_stored_figures_elsewhere(
        db: Session, config: Config) -> None:
    import_figures(db, config, "kpi,department,month,value\n"
                               "revenue,east-county,2026-10,100\n"
                               "arrears_recovery,east-county,2026-10,97\n",
                   filename="f.csv", by="U0OPS")
    save_draft(db, config, period="2026-10", department="east-county", user="U0EAST",
               values={"section:sales": "Good", "section:plan": "  ", "kpi:revenue": None,
                       "carry:1": "keep"}, now=AT)
    # Sales typed; plan blank; revenue cleared in the draft; arrears imported.
    assert lacking(db, config, "east-county")["east-county"] == Lacking(7, 8, 1, 2)


def test_a_submitted_summary_lacks_only_what_it_left_out(db: Session, config: Config) -> None:
    record_submission(db, config, period="2026-10", department="safety", user="U0SAFE",
                      answers={"activities": "Drills", "team": "", "problems": "None",
                               "plan": "More drills"}, figures={"inspections": None}, now=AT)
    assert lacking(db, config, "safety")["safety"] == Lacking(1, 4, 1, 1)


def test_only_a_draft_or_nothing_is_missing_at_the_close(db: Session, config: Config) -> None:
    assert [missing(s) for s in (None, "draft", "submitted", "late", "skipped", "other")] == [
        True, True, False, False, False, False]
    record_submission(db, config, period="2026-10", department="safety", user="U0SAFE",
                      answers={"activities": "Drills"}, figures={}, now=AT)
    save_draft(db, config, period="2026-10", department="east-county", user="U0EAST",
               values={"section:sales": "Good"}, now=AT)
    assert [d.key for d in not_handed_in(db, config, OCTOBER)] == [
        "key-accounts", "marketing", "east-county", "west-county"]
