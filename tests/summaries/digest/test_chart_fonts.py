"""Charts that draw Chinese: with a CJK font installed, a chart with Chinese KPI names, Chinese
month labels and 万 units misses no glyph; without one, a single warning names the script and
the characters; a chart in English keeps matplotlib's default font, pixel for pixel.

Without an installed CJK font the drawing test is skipped, except under ``CI=true``, where
that is a failure (``.ci/run`` installs Debian's fonts-wqy-microhei, as the image does).
"""

from __future__ import annotations

import logging
import os
import warnings
from collections.abc import Callable
from decimal import Decimal

import pytest
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont
from matplotlib.text import Text

from summaries.config.schema import Kpi
from summaries.digest import charts, fonts
from summaries.digest.model import Trend, TrendSeries
from summaries.periods import Month, months_between

D = Decimal
MONTHS = months_between(Month(2025, 11), Month(2026, 10))
TITLE = "北田电信 城区分公司 · 2026年10月 经营趋势"


def trend(names: tuple[str, str], units: tuple[str, str]) -> Trend:
    """Two panels: revenue in the tens of millions (compact ticks: 1100万) and a rate."""
    revenue = Kpi(key="revenue", name=names[0], unit=units[0])
    loss = Kpi(key="loss_rate", name=names[1], unit=units[1], decimals=1, max=D("3"))
    count = len(MONTHS)
    return Trend(MONTHS, [
        TrendSeries(revenue, [D(10_800_000 + 40_000 * i) for i in range(count)],
                    [D(11_000_000)] * count, year_before=[D(10_200_000)] * count),
        TrendSeries(loss, [D("2.4") + D("0.1") * (i % 4) for i in range(count)],
                    [D("2.5")] * count, limit_max=[D("3")] * count)])


CHINESE = trend(("营业收入", "用户流失率"), ("元", "%"))
ENGLISH = trend(("Revenue", "Churn rate"), ("CNY", "%"))


@pytest.fixture(autouse=True)
def fresh_warnings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test sees the once-per-process warning afresh."""
    monkeypatch.setattr(fonts, "warned", set())


def cjk_font() -> tuple[str, str] | None:
    return fonts.fallback_for(frozenset("月万营"))


def needs_cjk_font() -> None:
    if cjk_font() is not None:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("No CJK font is installed, and CI=true needs the chart font test: "
                    "apt-get install fonts-wqy-microhei")
    pytest.skip("No CJK font is installed (apt-get install fonts-wqy-microhei): the test "
                "that Chinese charts miss no glyph is skipped")


def glyph_warnings(caught: list[warnings.WarningMessage]) -> list[str]:
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


def test_a_chinese_chart_misses_no_glyph(caplog: pytest.LogCaptureFixture) -> None:
    needs_cjk_font()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = charts.trend_png(CHINESE, "zh", TITLE)
        figure = charts.trend_figure(CHINESE, "zh", TITLE)
        warned = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
        figure.savefig(os.devnull, format="png")  # drawn again, outside the charts' fonts
    assert png.startswith(b"\x89PNG")
    assert glyph_warnings(caught) == []
    assert warned == []  # neither a glyph nor a bold face is reported missing
    shown = [text for text in figure.findobj(Text) if text.get_text().strip()]
    drawn = "".join(text.get_text() for text in shown)
    for needed in ("10月", "万", "营业收入", "用户流失率", "北田电信"):
        assert needed in drawn, needed  # the chart really holds the Chinese it is to draw
    for text in shown:  # every character is in one of the text's fonts, by their cmaps
        paths = [findfont(FontProperties(family=family, weight=text.get_fontweight()),
                          fallback_to_default=False) for family in text.get_fontfamily()]
        drawable = set().union(*(fonts.charmap(path) for path in paths))
        lacking = [c for c in text.get_text() if not c.isspace() and ord(c) not in drawable]
        assert lacking == [], (text.get_text(), text.get_fontfamily())


def test_the_fallback_follows_the_default_font() -> None:
    needs_cjk_font()
    families, missing = fonts.choose("营业收入 (元) 11月 1100万 Revenue")
    assert missing == set()
    assert families is not None
    assert families[0] == fonts.default_font()[0]  # Latin text looks as before
    assert families[1] == fonts.fallback_for(frozenset("营业收入元月万"))[0]  # type: ignore[index]


def test_without_a_cjk_font_one_warning_names_the_script(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(fonts, "fallback_for", lambda chars: None)
    caplog.set_level(logging.WARNING, logger=fonts.__name__)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert charts.trend_png(CHINESE, "zh", TITLE).startswith(b"\x89PNG")
        charts.trend_png(CHINESE, "zh", TITLE)  # the same characters: not named again
    [record] = [r for r in caplog.records if r.name == fonts.__name__]
    message = record.getMessage()
    assert record.levelno == logging.WARNING
    assert message.startswith("no installed font draws Han (汉字) characters: ")
    for char in "月万营业收入":
        assert char in message
    assert "shows boxes" in message
    assert "fonts-noto-cjk" in message
    assert glyph_warnings(caught) == []  # folded into the one warning, not one per glyph


def test_english_charts_keep_the_default_font(monkeypatch: pytest.MonkeyPatch,
                                               caplog: pytest.LogCaptureFixture) -> None:
    figure = charts.trend_figure(ENGLISH, "en", "Northfield Telecom · October 2026")
    families = {tuple(text.get_fontfamily()) for text in figure.findobj(Text)}
    assert families == {("sans-serif",)}  # matplotlib's default, as before
    assert fonts.choose(fonts.texts(figure)) == (None, set())
    png = charts.trend_png(ENGLISH, "en", "Northfield Telecom · October 2026")

    def plain(build: Callable[[], Figure], save: Callable[[Figure], None] | None = None
              ) -> Figure:
        drawn = build()
        if save is not None:
            save(drawn)
        return drawn

    monkeypatch.setattr(fonts, "draw", plain)
    assert charts.trend_png(ENGLISH, "en", "Northfield Telecom · October 2026") == png
    assert [r for r in caplog.records if r.name == fonts.__name__] == []


def test_scripts_are_named_for_the_reader() -> None:
    assert fonts.script("月") == "Han (汉字)"
    assert fonts.script("\uff0c") == "full-width forms"
    assert fonts.script("ก") == "Thai"
    assert fonts.script("ש") == "Hebrew"
