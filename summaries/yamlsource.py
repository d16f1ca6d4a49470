"""Parse YAML safely while keeping the line number of every node."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from summaries.errors import InputError, Problem

Path = tuple[str | int, ...]

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class LineMap:
    """Line numbers of the nodes of a YAML document, by path."""

    def __init__(self) -> None:
        self._lines: dict[Path, int] = {}

    def set(self, path: Path, line: int) -> None:
        self._lines[path] = line

    def line(self, path: Path) -> int:
        """Return the line of ``path`` or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            found = self._lines.get(tuple(path[:end]))
            if found is not None:
                return found
        return 1


def format_path(path: Path) -> str:
    """Render ``('kpis', 3, 'better')`` as ``kpis[3].better``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def load_yaml(text: str, filename: str) -> tuple[Any, LineMap]:
    """Parse one YAML document into plain data (numbers as Decimal) and its line map."""
    lines = LineMap()
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise InputError([Problem(filename, line, "", f"invalid YAML: {exc.problem}")]) from None
    if node is None:
        return {}, lines
    problems: list[Problem] = []
    data = _convert(node, (), lines, problems, filename)
    if problems:
        raise InputError(problems)
    return data, lines


def _convert(
    node: yaml.Node, path: Path, lines: LineMap, problems: list[Problem], filename: str
) -> Any:
    line = node.start_mark.line + 1
    lines.set(path, line)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node, path, problems, filename)
            if key in result:
                problems.append(
                    Problem(filename, key_node.start_mark.line + 1, format_path((*path, key)),
                            "duplicate key")
                )
                continue
            result[key] = _convert(value_node, (*path, key), lines, problems, filename)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _convert(item, (*path, index), lines, problems, filename)
            for index, item in enumerate(node.value)
        ]
    return _scalar(node, path, problems, filename)


def _scalar(node: yaml.Node, path: Path, problems: list[Problem], filename: str) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        problems.append(Problem(filename, node.start_mark.line + 1, format_path(path),
                                "a key must be a plain value"))
        return None
    value: str = node.value
    tag = node.tag
    if tag in (_STR, _TIMESTAMP):
        # Dates stay text; the schema parses them, so messages speak of the field, not of YAML.
        return value
    if tag == _INT:
        if ":" in value:  # YAML 1.1 reads 10:00 as sexagesimal 600; people mean a time.
            return value
        return _integer(value)
    if tag == _FLOAT:
        try:
            number = Decimal(value.replace("_", ""))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            problems.append(Problem(filename, node.start_mark.line + 1, format_path(path),
                                    f"not a finite number: {value!r}"))
        return number
    if tag == _BOOL:
        return value.lower() in ("true", "yes", "on", "y")
    if tag == _NULL:
        return None
    problems.append(Problem(filename, node.start_mark.line + 1, format_path(path),
                            f"unsupported YAML tag {tag}"))
    return None


def _integer(value: str) -> int | str:
    """Read an integer as people write it: ``08`` is eight, ``0x1f`` is hex."""
    digits = value.replace("_", "")
    try:
        return int(digits, 10)
    except ValueError:
        try:
            return int(digits, 0)
        except ValueError:
            return value
