"""The digest's HTML page without a browser: it stands alone (nothing but ``data:`` images and
in-page links), escapes what people wrote, links every part from its contents, keeps headings
in order, words every status and says who revised a figure; a chart that cannot be drawn
leaves the page without it. :mod:`test_digest_browser` lays the same page out in Chromium."""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import pairwise

import pytest

from summaries.digest.render import render_html
from summaries.digest.render.html import draw_chart, png_size
from tests.support.digestpage import blank_png, demo_like_digest


@pytest.fixture(scope="module")
def page() -> str:
    return render_html(demo_like_digest(), chart=blank_png(600, 300))


def test_the_page_needs_no_other_file(page: str) -> None:
    links = re.findall(r"""\b(?:src|href|srcset|action|poster|data)\s*=\s*["']?([^"'\s>]*)""",
                       page, re.IGNORECASE)
    assert links
    assert [link for link in links if not link.startswith(("data:", "#"))] == []
    for fetching in ("<link", "<script", "<iframe", "<object", "<embed", "@import", "url("):
        assert fetching not in page.lower()
    assert '<img src="data:image/png;base64,' in page
    assert '<html lang="en">' in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page


def test_the_page_escapes_what_people_wrote(page: str) -> None:
    assert "Fibre | backlog &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; a_very" in page
    assert "<script" not in page


def test_the_contents_link_every_part_and_every_department(page: str) -> None:
    contents = page.split('<nav id="contents"', 1)[1].split("</nav>", 1)[0]
    targets = re.findall(r'href="#([^"]+)"', contents)
    departments = [d.key for d in demo_like_digest().departments]
    assert targets == ["headline", "problems", "not-submitted", "trend", "departments",
                       *(f"department-{key}" for key in departments)]
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    assert set(re.findall(r'href="#([^"]+)"', page)) <= set(ids)


def test_headings_are_in_order_and_every_header_cell_has_its_scope(page: str) -> None:
    levels = [int(level) for level in re.findall(r"<h([1-6])\b", page)]
    assert levels.count(1) == 1
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in pairwise(levels))
    assert re.findall(r"<th(?=[\s>])(?![^>]*\bscope=\"(?:col|row)\")[^>]*>", page) == []


def test_statuses_are_words_and_revised_figures_say_when_and_by_whom(page: str) -> None:
    assert '<span class="badge red">red</span>' in page
    assert '<span class="badge green">green</span>' in page
    # Changed 23:30 UTC on November 3: November 4 in the organization's Shanghai.
    assert 'Business income <span class="revised">Revised Nov 4 by U0KA</span></th>' in page


def test_a_chart_that_cannot_be_drawn_leaves_the_page_without_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import summaries.digest.charts

    def broken(*args: object) -> bytes:
        raise RuntimeError("no fonts")

    monkeypatch.setattr(summaries.digest.charts, "trend_png", broken)
    digest = demo_like_digest()
    png, problem = draw_chart(digest, "title")
    assert (png, problem) == (None, "drawing it failed: RuntimeError")
    page = render_html(digest, chart=png, chart_problem=problem)
    assert "<img" not in page
    assert "The chart could not be included (drawing it failed: RuntimeError)" in page
    assert '<table class="trend">' in page
    assert "The chart is not included in this page" in render_html(digest)
    assert draw_chart(replace(digest, trend=None), "title") == (None, None)
    assert 'href="#trend"' not in render_html(replace(digest, trend=None))


def test_a_sharp_chart_shows_at_its_size_in_inches() -> None:
    assert png_size(blank_png(1200, 30)) == (1200, 30)
    assert png_size(blank_png(1200, 30, per_metre=7874)) == (576, 14)  # 200 dpi
    assert png_size(b"GIF89a") is None


def test_markdown_says_who_revised_a_figure_and_slack_too() -> None:
    from bot.blocks.digest import department_messages
    from summaries.digest.render import render_markdown

    digest = demo_like_digest()
    revised = next(d for d in digest.departments if any(r.revised for r in d.rows))
    text = render_markdown(digest)
    assert "*Business income: Revised Nov 4 by U0KA*" in text
    reply = str(department_messages(digest, revised.key))
    assert "Business income revised <!date^" in reply
    assert "by <@U0KA>" in reply
