"""How names are compared wherever a person types one (look-ups, imports, file names):
without case, width or extra spaces, in any script."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """``text`` as names are compared: NFKC, case-folded, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())
