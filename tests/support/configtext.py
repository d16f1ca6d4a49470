"""Shared helpers for configuration tests: edit the sample text, find lines, collect errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from summaries.config.loader import parse_config
from summaries.errors import InputError
from tests.support.paths import DATA

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = (DATA / "checkin.yaml").read_text(encoding="utf-8")
EXAMPLE = (ROOT / "summaries" / "example" / "checkin.yaml").read_text(encoding="utf-8")
NAME = "checkin.yaml"


def edited(replacements: dict[str, str], text: str = SAMPLE) -> str:
    """The text with each ``old`` (which must occur exactly once) replaced by ``new``."""
    for old, new in replacements.items():
        assert text.count(old) == 1, f"not exactly once in the text: {old!r}"
        text = text.replace(old, new)
    return text


def line_of(text: str, needle: str) -> int:
    """The 1-based number of the only line of ``text`` containing ``needle``."""
    found = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    assert len(found) == 1, f"{needle!r} is on lines {found}, not on exactly one"
    return found[0]


def problems(text: str, filename: str = NAME) -> list[str]:
    """Every problem reported for ``text``, one ``FILE:LINE: field: message`` string each."""
    with pytest.raises(InputError) as caught:
        parse_config(text, filename)
    lines = [str(p) for p in caught.value.problems]
    assert str(caught.value) == "\n".join(lines)
    return lines
