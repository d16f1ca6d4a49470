"""Every figure the column holds, however extreme, goes through the engine, the digest in each
format and the exports without a crash, and the digest still fits Slack; a value beyond the
column (an older version's) reads as no value."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from bot.blocks.digest import department_messages, header_messages
from summaries.checkins.submissions import record_submission
from summaries.config.schema import Config
from summaries.digest.export import export_files
from summaries.digest.load import load_digest
from summaries.digest.render import render_html, render_markdown
from summaries.imports.importers import import_figures, import_targets
from summaries.periods import Month
from summaries.store.catalog import Catalog
from summaries.store.figures import get_or_create_period
from tests.slackstandin import check_message

OCT = Month(2026, 10)
BIGGEST = "99999999999999999999"  # revenue has decimals: 0
SMALLEST = "1"
CASES = {  # October, September (and its target), the loss rate
    "largest": (BIGGEST, BIGGEST, "100"),
    "small after largest": (SMALLEST, BIGGEST, "0.01"),
    "largest after small": (BIGGEST, SMALLEST, "0"),
    "zeros": ("0", "0", "0"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_extreme_storable_figures_never_crash_a_renderer(
        db: Session, config: Config, catalog: Catalog, case: str) -> None:
    october, september, churn = CASES[case]
    import_figures(db, config, "kpi,department,month,value\n"
                   f"revenue,key-accounts,2026-09,{september}\n"
                   f"revenue,key-accounts,2025-10,{september}\n"
                   f"revenue,east-county,2026-09,{september}\n", filename="history.csv")
    import_targets(db, config, "kpi,department,month,target\n"
                   f"revenue,key-accounts,2026-10,{september}\n"
                   f"revenue,east-county,2026-10,{october}\n", filename="targets.csv")
    record_submission(db, config, period=str(OCT), department="key-accounts", user="U0KA",
                      answers={"sales": "Extreme."},
                      figures={"revenue": Decimal(october), "customers": Decimal(SMALLEST),
                               "churn_rate": Decimal(churn)})
    record_submission(db, config, period=str(OCT), department="east-county", user="U0EAST",
                      answers={"sales": "Extreme."},
                      figures={"revenue": Decimal(october),
                               "arrears_recovery": Decimal("100")})
    get_or_create_period(db, str(OCT)).state = "closed"
    db.commit()
    assert_renders(db, config)


def test_a_value_beyond_the_column_reads_as_no_value(
        db: Session, config: Config, catalog: Catalog) -> None:
    record_submission(db, config, period=str(OCT), department="key-accounts", user="U0KA",
                      answers={"sales": "Fine."}, figures={"revenue": Decimal(5)})
    db.commit()
    if db.get_bind().dialect.name != "sqlite":
        pytest.skip("PostgreSQL's NUMERIC(28, 8) cannot hold such a value at all")
    # What an older version let the form store, written past the column type.
    db.execute(text("UPDATE figures SET value = '1e1000000'"))
    db.commit()
    digest = assert_renders(db, config)
    key_accounts = digest.department("key-accounts")
    assert key_accounts is not None
    revenue = next(r for r in key_accounts.rows if r.kpi.key == "revenue")
    assert revenue.cell.actual is None


def assert_renders(db: Session, config: Config):  # type: ignore[no-untyped-def]
    digest = load_digest(db, config, OCT, closed=None)
    assert render_markdown(digest)
    assert render_html(digest)
    for fmt in ("csv", "xlsx"):
        assert export_files(digest, fmt, "x")
    messages = header_messages(digest)
    for department in digest.departments:
        messages += department_messages(digest, department.key)
    assert len(messages) < 20
    for message in messages:
        assert check_message({"channel": "C0LEADERS", **message}) == []
    return digest


@pytest.mark.parametrize("value", ["1e1000000", "1" + "0" * 25, "0.123456789", "NaN"])
def test_nothing_beyond_the_column_can_be_stored(
        db: Session, config: Config, catalog: Catalog, value: str) -> None:
    from summaries.store.models import Figure

    get_or_create_period(db, str(OCT))
    figure = Figure(period_id=get_or_create_period(db, str(OCT)).id, department_id=1, kpi_id=1,
                    value=Decimal(value), source="submitted")
    db.add(figure)
    with pytest.raises(Exception, match=r"not a finite number|too large|decimal places"):
        db.flush()
    db.rollback()
