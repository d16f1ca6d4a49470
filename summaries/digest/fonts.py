"""Fonts for the charts: matplotlib's default font for what it draws, an installed fallback for
the scripts it lacks, and one clear warning for what no installed font draws.

matplotlib's default font (DejaVu Sans) has no Chinese: a chart in Chinese (month labels such
as ``11月``, compact units such as ``1100万``, Chinese KPI and department names) would draw
boxes. A chart is therefore built once with the default font; when its text holds characters
that font lacks, the installed font that covers most of them (Chinese fonts first, see
:data:`PREFERRED`) joins the family list after the default, and the chart is built again, so
Latin text looks exactly as before and the rest draws with the fallback. A chart in English
never changes: its font settings are not touched.

What no installed font draws is logged once per process, naming the script and the characters
(rather than matplotlib's warning per glyph, which the charts used to hide altogether).
matplotlib's own missing-glyph warnings while drawing are folded into that one warning.
"""

from __future__ import annotations

import contextlib
import logging
import re
import unicodedata
import warnings
from collections.abc import Callable, Iterable, Iterator
from functools import cache, lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # matplotlib loads on the first chart only
    from matplotlib.figure import Figure

log = logging.getLogger(__name__)

# Fonts that draw Simplified Chinese well, best first: a fallback is chosen among these before
# any other installed font that happens to cover the characters. Debian's fonts-wqy-microhei
# (5 MB, the one the container image installs) and fonts-noto-cjk are both here.
PREFERRED = ("Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC", "Source Han Sans CN",
             "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Noto Sans CJK JP",
             "Source Han Sans", "Droid Sans Fallback", "Noto Serif CJK SC",
             "Source Han Serif SC", "AR PL UMing CN", "AR PL UKai CN")
# Scripts named in the warning by code point range; others by their Unicode character name.
SCRIPTS = ((0x2E80, 0x2FDF, "Han (汉字)"), (0x3000, 0x303F, "CJK punctuation"),
           (0x3040, 0x30FF, "Kana"), (0x3100, 0x31BF, "Bopomofo"),
           (0x31C0, 0x31FF, "Han (汉字)"), (0x3400, 0x4DBF, "Han (汉字)"),
           (0x4E00, 0x9FFF, "Han (汉字)"), (0xAC00, 0xD7AF, "Hangul"),
           (0xF900, 0xFAFF, "Han (汉字)"), (0xFF00, 0xFFEF, "full-width forms"),
           (0x20000, 0x3FFFF, "Han (汉字)"))
CJK_HINT = "install a CJK font (Debian: apt-get install fonts-wqy-microhei or fonts-noto-cjk)"
GLYPH_WARNING = re.compile(r"Glyph (\d+) .*missing from font")
MOST_FALLBACKS = 4  # a chart's text in more scripts than this is not expected
# Characters already warned about in this process: each is named once, not on every chart.
warned: set[str] = set()


def draw(build: Callable[[], Figure], save: Callable[[Figure], None] | None = None
         ) -> Figure:
    """The figure ``build`` makes, in fonts that draw its text, and saved by ``save`` in them.

    Call under the charts' lock: the fallback is set in matplotlib's shared settings while
    the figure is built and saved (tick labels may be made as late as drawing).
    """
    from matplotlib import rc_context

    with warnings.catch_warnings():  # the draft is measured, never shown: its boxes are moot
        warnings.filterwarnings("ignore", GLYPH_WARNING.pattern, UserWarning)
        figure = build()
    families, missing = choose(texts(figure))
    with rc_context({"font.family": families} if families else None), \
            _glyphs_missing() as found, _regular_only(families):
        if families:
            figure = build()
        if save is not None:
            save(figure)
    report(missing | found)
    return figure


def texts(figure: Figure) -> str:
    """Every character of every text in ``figure``: titles, labels, ticks, legends."""
    from matplotlib.text import Text

    return "".join(text.get_text() for text in figure.findobj(Text))


def choose(text: str) -> tuple[list[str] | None, set[str]]:
    """The font families for ``text`` (``None``: the default alone draws it all) and the
    characters no installed font draws."""
    name, path = default_font()
    missing = {c for c in text if not c.isspace() and ord(c) not in charmap(path)}
    if not missing:
        return None, set()
    fallbacks: list[str] = []
    while missing and len(fallbacks) < MOST_FALLBACKS:
        found = fallback_for(frozenset(missing))
        if found is None:
            break
        fallbacks.append(found[0])
        missing = {c for c in missing if ord(c) not in charmap(found[1])}
    return ([name, *fallbacks] if fallbacks else None), missing


@lru_cache(maxsize=1)
def default_font() -> tuple[str, str]:
    """matplotlib's default font for text (its family name and file): what English uses."""
    from matplotlib import font_manager

    path = font_manager.findfont(font_manager.FontProperties())
    return font_manager.FontProperties(fname=path).get_name(), path


@lru_cache(maxsize=64)
def fallback_for(chars: frozenset[str]) -> tuple[str, str] | None:
    """The installed font (family name, file) that draws the most of ``chars`` (a preferred
    Chinese font on a tie, then an upright regular face), or ``None`` if none draws any."""
    best: tuple[tuple[int, int, int], tuple[str, str]] | None = None
    for name, path, regular in installed():
        covered = sum(ord(c) in charmap(path) for c in chars)
        if not covered:
            continue
        rank = PREFERRED.index(name) if name in PREFERRED else len(PREFERRED)
        score = (covered, -rank, regular)
        if best is None or score > best[0]:
            best = score, (name, path)
    return None if best is None else best[1]


@lru_cache(maxsize=1)
def installed() -> tuple[tuple[str, str, int], ...]:
    """The installed fonts as (family name, file, 1 if an upright regular face), once per
    process. Fonts installed after matplotlib cached its list (in its configuration folder,
    shared by every environment with the same matplotlib) are added to it first."""
    from matplotlib import font_manager

    manager = font_manager.fontManager
    known = {entry.fname for entry in manager.ttflist}
    for path in font_manager.findSystemFonts():
        if path not in known:
            with contextlib.suppress(OSError, RuntimeError, ValueError):
                manager.addfont(path)
    fonts: dict[str, tuple[str, str, int]] = {}
    for entry in manager.ttflist:
        regular = int(entry.style == "normal" and entry.weight in (400, "normal", "regular"))
        if entry.fname not in fonts or regular > fonts[entry.fname][2]:
            fonts[entry.fname] = (entry.name, entry.fname, regular)
    return tuple(fonts.values())


@cache
def charmap(path: str) -> frozenset[int]:
    """The code points the font file draws (its first face, as matplotlib uses it)."""
    from matplotlib.ft2font import FT2Font

    try:
        return frozenset(FT2Font(path).get_charmap())
    except (OSError, RuntimeError):
        return frozenset()


def script(char: str) -> str:
    """The script's name for the warning: "Han (汉字)", or from the Unicode name ("Thai")."""
    point = ord(char)
    for low, high, name in SCRIPTS:
        if low <= point <= high:
            return name
    return unicodedata.name(char, "unnamed").split()[0].capitalize()


def report(missing: Iterable[str]) -> None:
    """One warning for the characters no installed font draws, by script, once per process."""
    chars = set(missing)
    if not chars or chars <= warned:
        return
    warned.update(chars)
    by_script: dict[str, list[str]] = {}
    for char in sorted(chars):
        by_script.setdefault(script(char), []).append(char)
    named = "; ".join(f"{name} characters: {', '.join(found)}"
                      for name, found in by_script.items())
    cjk = any(name in ("Han (汉字)", "CJK punctuation", "Kana", "Hangul", "Bopomofo",
                       "full-width forms") for name in by_script)
    hint = CJK_HINT if cjk else "install a font that covers it (such as Noto Sans for it)"
    log.warning("no installed font draws %s; the chart shows boxes for them; %s",
                named, hint)


@contextlib.contextmanager
def _regular_only(families: list[str] | None) -> Iterator[None]:
    """Without matplotlib's log that a fallback has no bold face (the charts' titles are
    bold; WenQuanYi Micro Hei, say, has only a regular one, which draws them well enough)."""
    if not families:
        yield
        return
    fallbacks = tuple(f"for {name}," for name in families[1:])

    def keep(record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not (message.startswith("findfont: Failed to find font weight")
                    and any(name in message for name in fallbacks))

    logger = logging.getLogger("matplotlib.font_manager")
    logger.addFilter(keep)
    try:
        yield
    finally:
        logger.removeFilter(keep)


@contextlib.contextmanager
def _glyphs_missing() -> Iterator[set[str]]:
    """The characters matplotlib warns it drew as boxes in the block; other warnings pass on
    as they were raised."""
    found: set[str] = set()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield found
    for warning in caught:
        match = GLYPH_WARNING.match(str(warning.message))
        if match and issubclass(warning.category, UserWarning):
            found.add(chr(int(match.group(1))))
        else:
            warnings.warn_explicit(warning.message, warning.category, warning.filename,
                                   warning.lineno)
