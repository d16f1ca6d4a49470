"""The configuration's ``away:`` (SPEC 5.3): each mistake named by file, line and field."""

from __future__ import annotations

from datetime import date

from summaries.config.loader import parse_config
from tests.support.configtext import SAMPLE, problems


def with_away(*entries: str) -> str:
    return SAMPLE + "\naway:\n" + "".join(f"  - {entry}\n" for entry in entries)


def line(text: str, needle: str) -> int:
    return next(n for n, t in enumerate(text.splitlines(), 1) if needle in t)


def test_an_absence_is_read_with_its_days() -> None:
    config = parse_config(with_away("{manager: U0EAST, from: 2026-10-28, until: 2026-11-06, "
                                    "deputy: U0MKT}"))
    [entry] = config.away
    assert (entry.manager, entry.deputy) == ("U0EAST", "U0MKT")
    assert (entry.from_, entry.until) == (date(2026, 10, 28), date(2026, 11, 6))


def test_every_mistake_is_named_at_its_line_and_field() -> None:
    text = with_away(
        "{manager: U0NOBODY, from: 2026-10-28, until: 2026-11-06, deputy: U0MKT}",
        "{manager: U0EAST, from: 2026-11-06, until: 2026-10-28, deputy: U0MKT}",
        "{manager: U0WEST, from: 2026-10-28, until: 2026-11-06, deputy: U0WEST}",
        "{manager: U0KA, from: 2026-10-28, until: 2026-11-06, deputy: U0MKT}",
        "{manager: U0KA, from: 2026-11-01, until: 2026-11-10, deputy: U0WEST}",
        "{manager: U0SAFE, from: someday, until: 2026-11-06, deputy: U0MKT}",
        "{manager: U0SAFE, from: 2026-12-01, until: 2026-12-06}")
    found = problems(text)
    at = {n: line(text, needle) for n, needle in enumerate(
        ("U0NOBODY", "U0EAST, from: 2026-11-06", "deputy: U0WEST}", "U0KA, from: 2026-10-28",
         "U0KA, from: 2026-11-01", "from: someday", "from: 2026-12-01"))}
    assert f"checkin.yaml:{at[0]}: away[0].manager: U0NOBODY manages no department" in found
    assert f"checkin.yaml:{at[1]}: away[1].until: comes before from (2026-11-06)" in found
    assert (f"checkin.yaml:{at[2]}: away[2].deputy: a manager cannot be their own deputy"
            in found)
    assert (f"checkin.yaml:{at[4]}: away[4].from: overlaps away[3] (2026-10-28 to 2026-11-06)"
            in found)
    assert any(p.startswith(f"checkin.yaml:{at[5]}: away[5].from: ") for p in found)
    assert f"checkin.yaml:{at[6]}: away[6].deputy: required" in found
    assert len(found) == 6
