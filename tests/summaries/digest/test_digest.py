"""The leadership digest compiled from a stored month, its trend, Markdown, HTML and chart."""

from __future__ import annotations

import base64
import gc
import weakref
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from summaries.checkins.evaluation import refresh_flags
from summaries.checkins.submissions import record_submission
from summaries.config.schema import Config
from summaries.digest.charts import trend_png
from summaries.digest.header import ProblemLine
from summaries.digest.load import load_digest, load_month, load_trend
from summaries.digest.model import Digest, compile_digest
from summaries.digest.render import md, md_cell, md_problem, render_html, render_markdown
from summaries.engine.targets import severity_rank
from summaries.i18n import speaking
from summaries.imports.importers import import_figures, import_targets
from summaries.periods import Month
from summaries.store.catalog import Catalog
from summaries.store.figures import get_or_create_period
from summaries.store.models import Flag

D = Decimal
OCT = Month(2026, 10)
HISTORY = ["2025-11", "2025-12"] + [f"2026-{m:02d}" for m in range(1, 10)]
SALES = "Collected 98% | two deals closed.\n<script>alert('x')</script> & more"
PROBLEMS = "Fibre | backlog in the north\nNeed two more installers"


def history_csv() -> str:
    rows = ["kpi,department,month,value"]
    for month in HISTORY:
        rows += [f"revenue,key-accounts,{month},5000000", f"revenue,east-county,{month},2000000",
                 f"revenue,west-county,{month},1000000"]
    rows += ["revenue,west-county,2026-10,1100000", "arrears_recovery,west-county,2026-10,99"]
    return "\n".join(rows) + "\n"


TARGETS = """kpi,department,month,target
revenue,key-accounts,2026-09,5200000
revenue,marketing,2026-09,3100000
revenue,key-accounts,2026-10,5100000
revenue,marketing,2026-10,3400000
"""


def submit(db: Session, config: Config, department: str, user: str, answers: dict[str, str],
           **figures: str) -> None:
    record_submission(db, config, period=str(OCT), department=department, user=user,
                      answers=answers, figures={k: D(v) for k, v in figures.items()})


@pytest.fixture
def october(db: Session, config: Config, catalog: Catalog) -> Session:
    """A closed October: three summaries (one late), West County only imported, a year of
    revenue history and organization-wide targets for September and October."""
    import_figures(db, config, history_csv(), filename="history.csv")
    import_targets(db, config, TARGETS, filename="targets.csv")
    submit(db, config, "key-accounts", "U0KA", {"sales": "On plan."}, revenue="5200000",
           churn_rate="3.40", customers="100")
    submit(db, config, "east-county", "U0EAST", {"sales": SALES, "problems": PROBLEMS},
           revenue="2200000", arrears_recovery="97.5")
    get_or_create_period(db, str(OCT)).state = "closed"
    db.flush()
    submit(db, config, "safety", "U0SAFE", {"activities": "Two drills.", "plan": ""},
           inspections="1")
    db.commit()
    return db


def compiled(db: Session, config: Config) -> Digest:
    """The digest as the close makes it: evaluated, its flags stored, compiled."""
    report, trend = load_month(db, config, OCT)
    refresh_flags(db, report)
    return compile_digest(config, report, trend)


def test_counts_missing_and_imported_departments(october: Session, config: Config) -> None:
    digest = compiled(october, config)
    assert (digest.submitted, digest.total) == (3, 5)
    assert (digest.organization, digest.locale, digest.period) == (
        "Northfield Telecom, City Branch", "en", OCT)
    status = {d.key: d.status for d in digest.departments}
    assert status == {"key-accounts": "submitted", "marketing": "missing",
                      "east-county": "submitted", "west-county": "missing", "safety": "late"}
    assert [(d.key, d.imported) for d in digest.missing] == [
        ("marketing", False), ("west-county", True)]
    west = digest.department("west-county")
    assert west is not None
    revenue = next(r for r in west.rows if r.kpi.key == "revenue")
    assert (revenue.cell.actual, revenue.cell.source) == (D(1100000), "imported")


def test_sections_are_the_written_answers_in_template_order(
        october: Session, config: Config) -> None:
    digest = compiled(october, config)
    east, safety = digest.department("east-county"), digest.department("safety")
    assert east is not None
    assert safety is not None
    assert east.sections == [("Sales and payment collection", SALES),
                             ("Problems and requests", PROBLEMS)]
    assert safety.sections == [("Market activities", "Two drills.")]  # the empty plan is left out
    assert [r.kpi.key for r in east.rows] == ["revenue", "arrears_recovery"]


def test_flags_come_red_first_without_the_missing_ones_which_the_list_carries(
        october: Session, config: Config) -> None:
    digest = compiled(october, config)
    ranks = [severity_rank(flag.severity) for _, flag in digest.flags]
    assert ranks == sorted(ranks)
    found = {(name, flag.rule, flag.kpi) for name, flag in digest.flags}
    assert ("Key Account Division", "threshold", "churn_rate") in found
    assert ("East County Company", "below_target", "revenue") in found
    assert ("East County Company", "raised", "") in found
    assert ("Safety and Environment Office", "late", "") in found
    assert all(flag.rule != "missing" for _, flag in digest.flags)
    west = digest.department("west-county")
    assert west is not None
    assert [f.rule for f in west.flags if not f.kpi] == ["missing"]
    assert october.scalars(select(Flag)).first() is not None  # the close keeps its flags


def test_a_preview_stores_no_flags(october: Session, config: Config) -> None:
    digest = load_digest(october, config, OCT, closed=None)
    assert len(digest.missing) == 2  # the stored period is closed
    assert october.scalars(select(Flag)).first() is None


def test_trend_adds_up_the_top_departments_against_their_summed_targets(
        october: Session, config: Config) -> None:
    trend = load_trend(october, config, OCT)
    assert trend is not None
    assert [str(m) for m in trend.months] == [*HISTORY, "2026-10"]
    assert [s.kpi.key for s in trend.series] == ["revenue", "fixed_lines", "phs_sets"]
    revenue = trend.series[0]
    assert revenue.actual == [D(8000000)] * 11 + [D(8500000)]
    assert revenue.target == [None] * 10 + [D(8300000), D(8500000)]
    assert trend.series[1].actual == [None] * 12  # missing is never zero
    digest = compiled(october, config)
    assert digest.trend == trend
    headline = digest.headline[0]
    assert (headline.cell.actual, headline.cell.target) == (D(8500000), D(8500000))


def test_markdown_escapes_tables_and_shows_figures_in_the_locale(
        october: Session, config: Config) -> None:
    text = render_markdown(compiled(october, config))
    assert text.startswith("# October 2026 check-in digest · Northfield Telecom, City Branch\n")
    assert "**3 of 5 departments submitted (1 late)**" in text
    assert "Collected 98% \\| two deals closed." in text
    assert "\\<script\\>" in text
    assert "<script>" not in text
    assert "- **East County Company**: Fibre \\| backlog in the north" in text  # an ask
    table_rows = [line for line in text.splitlines() if line.startswith("| Business income")]
    assert table_rows  # every table row keeps its eight columns despite the pipes in the text
    assert all(line.count(" | ") == 7 for line in table_rows)
    assert ("| Business income | 2,200,000 CNY | 2,400,000 CNY | 91.7% (78.6% of the "
            "2,800,000 CNY stretch) |") in text
    assert "| Business income (imported) | 1,100,000 CNY |" in text
    assert "## West County Company (not submitted)" in text
    assert "## Marketing Department" not in text  # nothing of its own to show
    assert "- Marketing Department\n" in text


def test_html_is_one_page_with_user_text_escaped(october: Session, config: Config) -> None:
    digest = compiled(october, config)
    png = trend_png(digest.trend, "en", "Northfield") if digest.trend else b""
    page = render_html(digest, chart=png)
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more" in page
    assert page.count("<table") == 1 + 1 + 4  # headline, trend, four departments shown
    assert ('<td role="cell" data-label="Attainment">91.7% (78.6% of the 2,800,000 CNY '
            'stretch)</td>') in page
    assert f'<img src="data:image/png;base64,{base64.b64encode(png).decode()}"' in page
    assert '<a href="#department-east-county">East County Company</a>' in page


def test_trend_chart_is_a_png_of_a_fixed_size(october: Session, config: Config) -> None:
    trend = load_trend(october, config, OCT)
    assert trend is not None
    png = trend_png(trend, "en", "Northfield · headline KPIs")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert width == 1200  # a panel per headline KPI, stacked: readable at a phone's width
    assert 3 * 500 < height < 3 * 800
    assert trend_png(trend, "de", "Northfield") != png



MARKUP = "\\`*_[]<>|#"


@given(st.text(alphabet=st.sampled_from([*MARKUP, "a", " ", "中", "\n", "\r", "&", "\t"])))
def test_markdown_escapes_every_markup_character_of_user_text(text: str) -> None:
    """Each character Markdown would read as markup gets a backslash, every other is kept;
    a paragraph keeps its line breaks (as hard breaks), a table cell folds them."""
    def escaped(line: str) -> str:
        return "".join(f"\\{c}" if c in MARKUP else c for c in line)

    assert md(text) == "  \n".join(escaped(line) for line in text.splitlines())
    assert md_cell(text) == escaped(" ".join(text.split()) if "\n" in text or "\r" in text
                                    else text)


def test_a_rendered_digest_goes_when_its_reader_lets_go(october: Session, config: Config) -> None:
    """Rendering leaves nothing holding the digest (Jinja's context and its macros refer to
    each other): it is freed at once, without waiting for the garbage collector to walk it."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        digest = compiled(october, config)
        render_markdown(digest)
        render_html(digest)
        gone = weakref.ref(digest)
        del digest
        assert gone() is None
    finally:
        if collecting:
            gc.enable()


def test_a_problem_line_in_markdown_marks_and_escapes_in_both_languages() -> None:
    line = ProblemLine("R&D | *Lab*", "Loss rate 3.40%: above the 3.00% limit", "red", "worse",
                       True)
    assert md_problem(line) == ("- **red** · **R&D \\| \\*Lab\\***: Loss rate 3.40%: above "
                                "the 3.00% limit *worse* *(minor)*\n")
    assert md_problem(line, False) == ("- **red**: Loss rate 3.40%: above the 3.00% limit "
                                       "*worse* *(minor)*\n")
    assert md_problem(ProblemLine("Sales", "Revenue short", "amber", None, False)) == (
        "- **amber** · **Sales**: Revenue short\n")
    with speaking("zh"):
        assert md_problem(line) == ("- **红灯** · **R&D \\| \\*Lab\\***：Loss rate 3.40%: "
                                    "above the 3.00% limit *恶化* *（次要）*\n")
