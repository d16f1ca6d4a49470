"""``checkin digest``: Markdown, Block Kit JSON and HTML without posting or changing anything."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.cli.main import main
from summaries.store.db import make_engine
from summaries.store.models import Period
from tests.slackstandin import check_message
from tests.support.clikit import seed_october, stored
from tests.support.paths import DATA

FIGURES = """kpi,department,month,value
revenue,key-accounts,2026-09,5000000
revenue,east-county,2026-09,2000000
revenue,west-county,2026-09,1000000
revenue,west-county,2026-10,1100000
"""


@pytest.fixture
def october(database: str, tmp_path: Path) -> str:
    """The CLI's database with imported figures and East County's October summary."""
    return seed_october(database, tmp_path, FIGURES, DATA / "checkin.yaml",
                        {"sales": "Two deals | <!channel> closed."})


def close(url: str) -> None:
    engine = make_engine(url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        conn.execute(sa.update(Period).where(Period.key == "2026-10").values(state="closed"))
    engine.dispose()


def test_markdown_goes_to_standard_output_and_nothing_changes(
        october: str, capsys: pytest.CaptureFixture[str]) -> None:
    before = stored(october)
    capsys.readouterr()
    assert main(["digest", "--period", "2026-10"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# October 2026 check-in digest · Northfield Telecom, City Branch\n")
    assert "**1 of 5 departments submitted**" in out
    assert "Two deals \\| \\<!channel\\> closed." in out
    assert ("| Business income | 2,200,000 CNY | 2,400,000 CNY | 91.7% (78.6% of the "
            "2,800,000 CNY stretch) |") in out
    assert "- West County Company (figures imported)" in out
    assert stored(october) == before
    assert before[1] == 0


def test_a_closed_period_shows_its_missing_flags_without_storing_them(
        october: str, capsys: pytest.CaptureFixture[str]) -> None:
    close(october)
    capsys.readouterr()
    assert main(["digest", "--period", "2026-10", "--format", "md"]) == 0
    counts = next(line for line in capsys.readouterr().out.splitlines()
                  if "not submitted:" in line)
    assert "West County Company (no reminder)" in counts
    assert stored(october) == ({"2026-09": "pending", "2026-10": "closed"}, 0)


def embedded_png(html: str) -> bytes:
    """The trend chart a page embeds, as PNG bytes."""
    found = re.search(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)
    assert found is not None
    return base64.b64decode(found.group(1))


def test_html_with_output_is_one_file_with_the_chart_inside(
        october: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "out" / "october.html"
    page.parent.mkdir()
    capsys.readouterr()
    assert main(["digest", "--period", "2026-10", "--format", "html", "--output",
                 str(page)]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"wrote {page}" in captured.err
    assert [p.name for p in page.parent.iterdir()] == ["october.html"]  # no second file
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "Two deals | &lt;!channel&gt; closed." in html
    assert embedded_png(html).startswith(b"\x89PNG\r\n\x1a\n")


def test_html_on_standard_output_embeds_the_chart_too(
        october: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["digest", "--period", "2026-10", "--format", "html"]) == 0
    html = capsys.readouterr().out
    assert html.startswith("<!DOCTYPE html>")
    assert html.rstrip().endswith("</html>")
    assert embedded_png(html).startswith(b"\x89PNG\r\n\x1a\n")


def test_html_without_a_chart_still_renders_and_says_why(
        october: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
        ) -> None:
    import summaries.digest.charts

    def no_matplotlib(*args: object) -> bytes:
        raise ModuleNotFoundError("No module named 'matplotlib'", name="matplotlib")

    monkeypatch.setattr(summaries.digest.charts, "trend_png", no_matplotlib)
    capsys.readouterr()
    assert main(["digest", "--period", "2026-10", "--format", "html"]) == 0
    captured = capsys.readouterr()
    assert "<img" not in captured.out
    assert "The chart could not be included (matplotlib, which draws it, is not installed)" \
        in captured.out
    assert '<table class="trend">' in captured.out  # the same figures, as a table
    assert "the trend chart is left out of the page" in captured.err


def test_markdown_with_output_links_its_chart(
        october: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "digest.md"
    assert main(["digest", "--period", "2026-10", "--output", str(target)]) == 0
    assert "![Headline KPIs, last 12 months](<digest-trend.png>)" in target.read_text("utf-8")
    chart = (tmp_path / "digest-trend.png").read_bytes()
    assert chart.startswith(b"\x89PNG")
    (tmp_path / "digest-trend.png").unlink()
    assert main(["digest", "--period", "2026-10", "--output", str(target)]) == 0
    assert (tmp_path / "digest-trend.png").read_bytes() == chart  # kept with the text


def test_blocks_are_json_for_block_kit_builder(
        october: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    capsys.readouterr()
    assert main(["digest", "--period", "2026-10", "--format", "blocks"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["header"][0]["metadata"] == {"event_type": "checkin_digest",
                                             "event_payload": {"period": "2026-10"}}
    assert sorted(data["departments"]) == ["east-county", "west-county"]
    payloads = data["header"] + [p for found in data["departments"].values() for p in found]
    assert all(check_message(p) == [] for p in payloads)
    assert not list(tmp_path.glob("*.png"))  # no chart without --output, nor for blocks


@pytest.mark.parametrize("period", ["2026-13", "October", "2026-1"])
def test_a_bad_period_is_one_line_and_exit_2(
        october: str, capsys: pytest.CaptureFixture[str], period: str) -> None:
    capsys.readouterr()
    assert main(["digest", "--period", period]) == 2
    captured = capsys.readouterr()
    assert captured.err == f"checkin: not a month (YYYY-MM): {period!r}\n"
    assert captured.out == ""


def test_an_unchanged_month_is_read_back_and_an_import_renders_it_anew(
        october: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    capsys.readouterr()
    assert main(["digest", "--period", "2026-10"]) == 0
    first = capsys.readouterr().out
    import summaries.digest.stored as kept

    def not_again(*_args: object, **_kw: object) -> None:
        raise AssertionError("the unchanged month was worked out again")

    with monkeypatch.context() as patched:
        patched.setattr(kept, "load_digest", not_again)
        assert main(["digest", "--period", "2026-10"]) == 0
        assert capsys.readouterr().out == first
    figures = tmp_path / "later.csv"
    figures.write_text("kpi,department,month,value\nrevenue,west-county,2026-10,1300000\n",
                       encoding="utf-8")
    assert main(["figures", "import", str(figures)]) == 0
    capsys.readouterr()
    assert main(["digest", "--period", "2026-10"]) == 0
    again = capsys.readouterr().out
    assert "1,300,000" in again
    assert "1,300,000" not in first


def import_figure(tmp_path: Path, row: str) -> None:
    figures = tmp_path / "correction.csv"
    figures.write_text(f"kpi,department,month,value\n{row}\n", encoding="utf-8")
    assert main(["figures", "import", str(figures)]) == 0


def test_the_trend_chart_is_drawn_again_only_when_the_trend_changed(
        october: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A correction of a KPI the trend does not show takes the chart kept with the page
    before (matplotlib is not even loaded); one of a headline KPI draws it again. Either
    way the page is the page rendered from scratch, and Markdown's chart file the same."""
    import summaries.digest.charts

    drawn: list[str] = []
    draw = summaries.digest.charts.trend_png

    def counted(*args: object) -> bytes:
        drawn.append("drawn")
        return draw(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(summaries.digest.charts, "trend_png", counted)
    page, markdown = tmp_path / "october.html", tmp_path / "october.md"

    def read() -> tuple[str, bytes]:
        for target, form in ((page, "html"), (markdown, "md")):
            assert main(["digest", "--period", "2026-10", "--format", form,
                         "--output", str(target)]) == 0
        return page.read_text(encoding="utf-8"), (tmp_path / "october-trend.png").read_bytes()

    first = read()
    assert len(drawn) == 2  # the page's and the Markdown's
    import_figure(tmp_path, "customers,key-accounts,2026-10,120")  # not in the trend
    kept = read()
    assert len(drawn) == 2
    assert kept[0] != first[0]
    assert embedded_png(kept[0]) == embedded_png(first[0]) == kept[1] == first[1]
    engine = make_engine(october, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM stored_renderings"))
    engine.dispose()
    assert read() == kept  # from scratch: drawn again, the same bytes
    assert len(drawn) == 4
    import_figure(tmp_path, "revenue,west-county,2026-10,1300000")
    assert read()[1] == kept[1]  # the organization's October: still waiting for Key Accounts
    assert len(drawn) == 4
    import_figure(tmp_path, "revenue,key-accounts,2026-09,5500000")  # September's total
    redrawn = read()
    assert len(drawn) == 6
    assert embedded_png(redrawn[0]) == redrawn[1] != kept[1]
