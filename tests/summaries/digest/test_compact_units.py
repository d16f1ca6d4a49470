"""Large amounts in headlines and charts by ``organization.compact_units`` (SPEC 11): the
reader's own short form (auto), 万 and 亿 in any language (cn), or K, M and B (western)."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from bot.blocks.digest import header_messages
from summaries.digest.charts import tick_labels, trend_figure
from summaries.digest.header import header_view
from summaries.formatting import compact_number, compacting, format_compact
from summaries.i18n import speaking
from tests.summaries.digest.conftest import demo_digest

AMOUNTS = ("12345", "218000", "1121470", "10592160", "126100000", "1234567890", "-218000")
EXPECTED = {
    ("en", "auto"): ["12K", "218K", "1.12M", "10.6M", "126.1M", "1.2B", "\u2212218K"],
    ("en", "western"): ["12K", "218K", "1.12M", "10.6M", "126.1M", "1.2B", "\u2212218K"],
    ("en", "cn"): ["1.23万", "21.8万", "112万", "1059万", "1.26亿", "12.3亿", "\u221221.8万"],
    ("zh", "auto"): ["1.23万", "21.8万", "112万", "1059万", "1.26亿", "12.3亿", "\u221221.8万"],
    ("zh", "cn"): ["1.23万", "21.8万", "112万", "1059万", "1.26亿", "12.3亿", "\u221221.8万"],
    ("zh", "western"): ["12K", "218K", "1.12M", "10.6M", "126.1M", "1.2B", "\u2212218K"],
}


@pytest.mark.parametrize(("locale", "units"), sorted(EXPECTED))
def test_each_setting_in_each_language(locale: str, units: str) -> None:
    shown = [format_compact(D(v), locale, units=units) for v in AMOUNTS]
    assert shown == EXPECTED[locale, units]
    with compacting(units):  # the setting in force, as a digest's renderers set it
        assert [format_compact(D(v), locale) for v in AMOUNTS] == shown
    with speaking(locale):  # the reader's locale, whatever the caller was given
        assert [format_compact(D(v), "en", units=units) for v in AMOUNTS] == shown


def test_small_amounts_stay_whole_and_units_carry_over() -> None:
    assert format_compact(D(9999), "zh", units="cn") == "9,999"
    assert format_compact(D(11_000_000), "zh") == "1100万"
    assert format_compact(D(99_996_000), "zh") == "1亿"  # not 10000万
    assert format_compact(D(10) ** 13, "zh") == "10万亿"
    assert format_compact(D(10) ** 13, "ja") == "10兆"
    assert format_compact(D(218_000), "zh", signed=True) == "+21.8万"
    assert format_compact(D(1_121_470), "de", units="western") == "1,12M"
    assert format_compact(D(1_121_470), "de") == "1,12\u00a0Mio."  # auto: CLDR's own
    assert compact_number(10_500_000.0, "zh", 0) == "1050万"
    assert compact_number(-5000.0, "en", 0, "cn") == "-5000"


def test_chart_ticks_follow_the_setting() -> None:
    ticks = (9e6, 9.6e6, 1.02e7, 1.08e7)
    assert list(tick_labels(ticks, "en").values()) == ["9M", "9.6M", "10.2M", "10.8M"]
    assert list(tick_labels(ticks, "en", units="cn").values()) == [
        "900万", "960万", "1020万", "1080万"]
    assert list(tick_labels(ticks, "zh").values()) == ["900万", "960万", "1020万", "1080万"]
    assert list(tick_labels(ticks, "zh", units="western").values()) == [
        "9M", "9.6M", "10.2M", "10.8M"]


@pytest.mark.parametrize(("locale", "units", "wanted", "unwanted"), [
    ("en", "auto", "126.1M", "\u4ebf"), ("en", "cn", "1.26\u4ebf", "126.1M"),
    ("zh", "auto", "1.26\u4ebf", "126.1M"), ("zh", "western", "126.1M", "\u4ebf")])
def test_the_setting_reaches_headlines_and_charts(demo_folder: Path, locale: str, units: str,
                                                  wanted: str, unwanted: str) -> None:
    digest = demo_digest(demo_folder, locale, units)
    assert digest.compact_units == units
    notes = " ".join(n for line in header_view(digest).headline for n in line.notes)
    assert wanted in notes
    assert unwanted not in notes
    header = str(header_messages(digest))
    assert wanted in header
    assert digest.trend is not None
    assert digest.trend.units == units
    figure = trend_figure(digest.trend, digest.locale, "title")
    ticks = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert all(t.endswith("\u4e07") for t in ticks) == (units == "cn" or (
        units == "auto" and locale == "zh")), ticks
