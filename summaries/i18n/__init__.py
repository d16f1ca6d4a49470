"""The words people read, in their language: gettext catalogues managed with Babel (SPEC 11).

Code marks a sentence with :func:`_` (or :func:`ngettext` for one that counts something) and
writes placeholders in braces: ``_("{name} submitted late.", name=department)``. Which
catalogue answers is the reader's, set for a stretch of work with :func:`speaking`; outside
any, English. :func:`N_` marks a sentence kept for later (a constant), translated where shown.
"""

from summaries.i18n.catalogs import LANGUAGES, language_of, translations
from summaries.i18n.speaking import (
    N_,
    _,
    current,
    in_readers_language,
    ngettext,
    pgettext,
    reader_locale,
    reading,
    speak_from_now,
    speaking,
)

__all__ = ["LANGUAGES", "N_", "_", "current", "in_readers_language", "language_of", "ngettext",
           "pgettext", "reader_locale", "reading", "speak_from_now", "speaking", "translations"]
