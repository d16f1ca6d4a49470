"""The shipped catalogues hold every message the code marks, Chinese translates them all with
the same placeholders, and the compiled files are those of the sources."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from babel.messages.mofile import read_mo, write_mo

from summaries.i18n import LANGUAGES, _, language_of, ngettext, reader_locale, speaking
from summaries.i18n.build import po_path, read, template

PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")


@pytest.fixture(scope="module")
def source():
    return template()


def _forms(message) -> tuple[str, ...]:
    return tuple(message.string) if isinstance(message.string, (list, tuple)) else (
        message.string,)


def _ids(message) -> tuple[str, ...]:
    return tuple(message.id) if isinstance(message.id, (list, tuple)) else (message.id,)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_marked_message_is_in_the_catalogue(source, language):
    catalog = read(po_path(language), language)
    have = {(_ids(c), c.context) for c in catalog}
    missing = [m.id for m in source if m.id and (_ids(m), m.context) not in have]
    assert not missing, f"{language} lacks {len(missing)}: {missing[:5]} (run the build)"


def test_chinese_translates_everything_with_the_same_placeholders(source):
    catalog = read(po_path("zh_Hans"), "zh_Hans")
    untranslated, fuzzy, mismatched = [], [], []
    for message in catalog:
        if not message.id:
            continue
        if not all(_forms(message)):
            untranslated.append(message.id)
        if message.fuzzy:
            fuzzy.append(message.id)
        wanted = set(PLACEHOLDER.findall(" ".join(_ids(message)))) - {"n"}
        for form in _forms(message):
            if form and set(PLACEHOLDER.findall(form)) - {"n"} != wanted:
                mismatched.append((message.id, form))
    assert not untranslated, untranslated[:5]
    assert not fuzzy, fuzzy[:5]
    assert not mismatched, mismatched[:5]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_is_the_source_compiled(language):
    catalog = read(po_path(language), language)
    fresh = BytesIO()
    write_mo(fresh, catalog)
    fresh.seek(0)
    with po_path(language).with_suffix(".mo").open("rb") as shipped:
        assert {_ids(m): _forms(m) for m in read_mo(shipped)} == {
            _ids(m): _forms(m) for m in read_mo(fresh)}, "run python -m summaries.i18n.build"


@pytest.mark.parametrize(("tag", "language"), [
    ("zh-CN", "zh_Hans"), ("zh", "zh_Hans"), ("zh_Hans_CN", "zh_Hans"), ("zh-SG", "zh_Hans"),
    ("en-US", "en"), ("en-GB", "en"), ("en", "en"), ("zh-TW", None), ("zh_Hant", None),
    ("de-DE", None), ("", None), (None, None), ("not a locale", None)])
def test_a_locale_tag_finds_its_catalogue(tag, language):
    assert language_of(tag) == language


def test_a_reader_reads_their_own_language_where_one_ships():
    assert reader_locale("zh-CN", "en") == "zh_CN"
    assert reader_locale("en-US", "zh") == "en_US"
    assert reader_locale("de-DE", "zh") == "zh"
    assert reader_locale(None, "zh") == "zh"


def test_words_follow_the_reader_and_nest():
    with speaking("zh-CN") as outer:
        assert outer == "zh_Hans"
        with speaking("en-US") as inner:
            assert inner == "en"
        assert ngettext("{n} thing", "{n} things", 3) == "3 things"  # not in any catalogue
    assert _("plain {word}", word="text") == "plain text"
