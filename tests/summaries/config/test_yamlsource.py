"""Reading YAML safely: plain data, exact numbers, and the line of every value."""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

import pytest

from summaries.config import yamlsource
from summaries.config.yamlsource import LineMap, format_path, load_yaml
from summaries.errors import InputError


def data_of(text: str) -> object:
    data, _ = load_yaml(text, "f.yaml")
    return data


def problems(text: str) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_yaml(text, "f.yaml")
    return [str(p) for p in caught.value.problems]


def test_numbers_are_exact_decimals_or_integers() -> None:
    data = data_of("a: 3.10\nb: 0.1\nc: 1_000\nd: -7\ne: 1.5e+3\n")
    assert data == {"a": Decimal("3.10"), "b": Decimal("0.1"), "c": 1000, "d": -7,
                    "e": Decimal("1.5e+3")}
    assert isinstance(data, dict)
    assert type(data["a"]) is Decimal
    assert str(data["a"]) == "3.10"  # kept as written, never through a float


def test_integers_read_as_people_write_them() -> None:
    # 010 is ten, not YAML 1.1's octal eight
    assert data_of("b: 010\nc: 0x1f\nd: 0b101\n") == {"b": 10, "c": 31, "d": 5}


def test_times_and_dates_stay_text() -> None:
    data = data_of("a: 10:00\nb: 9:30\nc: 2026-10-08\nd: 2026-10\ne: '18:00'\n")
    assert data == {"a": "10:00", "b": "9:30", "c": "2026-10-08", "d": "2026-10", "e": "18:00"}


def test_only_true_and_false_are_booleans() -> None:
    data = data_of("a: true\nb: False\nc: yes\nd: NO\ne: on\nf: Off\n")
    assert data == {"a": True, "b": False, "c": "yes", "d": "NO", "e": "on", "f": "Off"}


def test_nulls() -> None:
    assert data_of("a: null\nb: ~\nc:\n") == {"a": None, "b": None, "c": None}


def test_empty_text_is_an_empty_mapping() -> None:
    assert load_yaml("", "f.yaml")[0] == {}
    assert load_yaml("# nothing\n", "f.yaml")[0] == {}


def test_aliases_are_expanded() -> None:
    assert data_of("a: &x [1, 2]\nb: *x\n") == {"a": [1, 2], "b": [1, 2]}


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan"])
def test_non_finite_numbers_are_refused(value: str) -> None:
    assert problems(f"a: 1\nb: {value}\n") == [f"f.yaml:2: b: not a finite number: {value!r}"]


def test_line_of_every_value() -> None:
    text = "top:\n  a: 1\n  list:\n    - x\n    - {k: v,\n       j: w}\nflow: [1, 2]\n"
    _, lines = load_yaml(text, "f.yaml")
    assert lines.line(("top",)) == 1
    assert lines.line(("top", "a")) == 2
    assert lines.line(("top", "list")) == 3  # where the key is written, not its first item
    assert lines.line(("top", "list", 0)) == 4
    assert lines.line(("top", "list", 1)) == 5
    assert lines.line(("top", "list", 1, "j")) == 6
    assert lines.line(("flow", 1)) == 7


def test_line_of_a_missing_path_is_its_nearest_ancestors() -> None:
    _, lines = load_yaml("x: 1\ntop:\n  a: 1\n", "f.yaml")
    assert lines.line(("top", "missing", 3)) == 2
    assert lines.line(("nowhere",)) == 1
    assert LineMap().line(("anything",)) == 1


def test_format_path() -> None:
    assert format_path(("kpis", 3, "better")) == "kpis[3].better"
    assert format_path(("departments", 0, "kpis", 2)) == "departments[0].kpis[2]"
    assert format_path(("organization",)) == "organization"
    assert format_path(()) == ""


def test_syntax_error_names_its_line() -> None:
    assert problems("a: 1\nb: [1, 2\nc: 3\n")[0].startswith("f.yaml:")
    assert problems("a: 1\nb: c: d\n") == ["f.yaml:2: invalid YAML: mapping values are not "
                                          "allowed here"]


def test_control_character_names_its_line() -> None:
    assert problems("a: 1\nb: 2\nc: x\x01y\n") == [
        "f.yaml:3: invalid YAML: character U+0001 is not allowed"]


def test_duplicate_keys_all_reported() -> None:
    assert problems("a: 1\nb:\n  c: 1\n  c: 2\na: 3\n") == [
        "f.yaml:4: b.c: duplicate key",
        "f.yaml:5: a: duplicate key",
    ]


def test_tags_on_collections_are_refused() -> None:
    assert problems("a: !!python/object:os.system {x: 1}\nb: !!omap [x: 1]\n") == [
        "f.yaml:1: a: unsupported YAML tag tag:yaml.org,2002:python/object:os.system",
        "f.yaml:2: b: unsupported YAML tag tag:yaml.org,2002:omap",
    ]


def test_tags_on_keys_are_refused() -> None:
    assert problems("!!python/name:os.system : 1\n") == [
        "f.yaml:1: unsupported YAML tag tag:yaml.org,2002:python/name:os.system"]


def test_explicit_standard_tags_are_fine() -> None:
    assert data_of("a: !!str 12\nb: !!int '7'\nc: !!float '2.5'\n") == {
        "a": "12", "b": 7, "c": Decimal("2.5")}


def test_merge_keys_are_refused_with_a_hint() -> None:
    assert problems("base: &b {x: 1}\nitem:\n  <<: *b\n  y: 2\n") == [
        "f.yaml:3: item: merge keys (<<) are not supported; write the keys out"]


def test_complex_keys_are_refused() -> None:
    assert problems("? [a, b]\n: 1\n") == ["f.yaml:1: a key must be a plain value"]


def test_recursive_alias_is_refused_not_a_crash() -> None:
    assert problems("a: &x [1, *x]\n") == [
        "f.yaml:1: a[1]: an alias refers to a node that contains it"]


def test_alias_bomb_is_refused_quickly() -> None:
    levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        levels.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 10)}]")
    started = time.monotonic()
    [only] = problems("\n".join(levels) + "\n")
    assert "aliases used too often" in only
    assert time.monotonic() - started < 10


def test_deep_nesting_is_refused_not_a_crash() -> None:
    assert problems("a: " + "[" * 5000 + "]" * 5000 + "\n") == [
        "f.yaml:1: invalid YAML: nested too deeply"]


EXAMPLES = sorted((Path(__file__).parents[3] / "summaries" / "example").rglob("*.yaml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_libyaml_reads_what_pyyaml_reads(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With libyaml (where PyYAML has it) the data and every line are PyYAML's own."""
    text = path.read_text(encoding="utf-8")
    fast, fast_lines = load_yaml(text, path.name)
    monkeypatch.setattr(yamlsource, "_FAST_LOADER", None)
    plain, plain_lines = load_yaml(text, path.name)
    assert fast == plain
    assert fast_lines._lines == plain_lines._lines


def test_a_problem_reads_the_same_with_or_without_libyaml(
        monkeypatch: pytest.MonkeyPatch) -> None:
    text = "kpis:\n  - key: a\n    name: [b\n"
    found = problems(text)
    monkeypatch.setattr(yamlsource, "_FAST_LOADER", None)
    assert problems(text) == found
