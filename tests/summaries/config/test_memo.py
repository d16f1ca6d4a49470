"""Values kept per configuration: worked out once, never handed to another configuration."""

from __future__ import annotations

import copy
from functools import partial

from summaries.config.memo import PerConfig
from summaries.config.schema import Config


def test_a_value_is_worked_out_once_per_configuration_and_key(demo_config: Config) -> None:
    kept: PerConfig[str, list[str]] = PerConfig(8)
    calls: list[str] = []

    def build(key: str) -> list[str]:
        calls.append(key)
        return [key]

    first = kept.get(demo_config, "a", lambda: build("a"))
    assert kept.get(demo_config, "a", lambda: build("a")) is first
    kept.get(demo_config, "b", lambda: build("b"))
    assert calls == ["a", "b"]
    other = copy.copy(demo_config)  # another configuration object, however alike
    assert kept.get(other, "a", lambda: build("a2")) == ["a2"]


def test_a_full_table_is_emptied_and_fills_again(demo_config: Config) -> None:
    kept: PerConfig[int, int] = PerConfig(2)
    built: list[int] = []

    def build(key: int) -> int:
        built.append(key)
        return key

    for key in (1, 2, 3, 1):
        assert kept.get(demo_config, key, partial(build, key)) == key
    assert built == [1, 2, 3, 1]  # 3 emptied the table, so 1 was worked out again
