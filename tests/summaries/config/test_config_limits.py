"""What the configuration may hold is what Slack's surfaces can show, and the file has a size."""

from __future__ import annotations

from pathlib import Path

import pytest

from summaries.config.fields import MAX_HINT, MAX_KEY, MAX_NAME, MAX_TITLE, MAX_UNIT
from summaries.config.loader import MAX_CONFIG_BYTES, load_config, parse_config
from summaries.errors import InputError, echo
from tests.support.botkit import sample_text

DEPARTMENT = "name: Key Account Division"


def messages(text: str) -> list[str]:
    with pytest.raises(InputError) as raised:
        parse_config(text)
    return [str(p) for p in raised.value.problems]


@pytest.mark.parametrize(("old", "new", "expected"), [
    (DEPARTMENT, "name: " + "K" * 3000,
     f"checkin.yaml:41: departments[0].name: string should have at most {MAX_NAME} characters"),
    ("name: Northfield Telecom, City Branch", "name: " + "N" * (MAX_TITLE + 1),
     f"checkin.yaml:2: organization.name: string should have at most {MAX_TITLE} characters"),
    ("{key: sales, title: Sales and payment collection,",
     "{key: sales, title: " + "S" * (MAX_TITLE + 1) + ",",
     f"checkin.yaml:20: sections[1].title: string should have at most {MAX_TITLE} characters"),
    ('hint: "Market capacity, competitors, channels, customer demand"',
     "hint: " + "h" * (MAX_HINT + 1),
     f"checkin.yaml:19: sections[0].hint: string should have at most {MAX_HINT} characters"),
    ("unit: lines,", "unit: " + "u" * (MAX_UNIT + 1) + ",",
     f"checkin.yaml:30: kpis[1].unit: string should have at most {MAX_UNIT} characters"),
    ("key: safety", "key: " + "s" * (MAX_KEY + 1),
     f"checkin.yaml:47: departments[4].key: string should have at most {MAX_KEY} characters"),
])
def test_names_longer_than_slack_can_show_are_refused_at_their_line(
        old: str, new: str, expected: str) -> None:
    found = messages(sample_text(**{old: new}))
    assert expected in found, found


def test_names_at_the_limit_are_accepted() -> None:
    config = parse_config(sample_text(**{DEPARTMENT: "name: " + "部" * MAX_NAME}))
    assert len(config.departments[0].name) == MAX_NAME


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "checkin.yaml"
    big.write_text(sample_text() + "#" * MAX_CONFIG_BYTES + "\n")
    with pytest.raises(InputError) as raised:
        load_config(big)
    assert [str(p) for p in raised.value.problems] == [
        f"{big}:1: larger than 1,024 KiB: not a configuration file this bot reads"]


def test_an_endless_device_is_refused_after_reading_the_limit() -> None:
    with pytest.raises(InputError, match="larger than 1,024 KiB"):
        load_config("/dev/zero")


def test_echoes_of_what_people_type_are_cut() -> None:
    assert echo("revenue") == "revenue"
    long = echo("x" * 3500)
    assert len(long) == 60
    assert long.endswith("\u2026")
    assert echo("a\n\nb   c") == "a b c"
