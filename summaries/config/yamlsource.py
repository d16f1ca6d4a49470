"""Parse YAML safely while keeping the line number of every node."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from summaries.errors import InputError, Problem
from summaries.i18n import N_, _

Path = tuple[str | int, ...]

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"

# A configuration file has a few thousand nodes; aliases that expand far beyond this are an
# "alias bomb" (billion laughs), refused rather than expanded.
MAX_NODES = 200_000


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
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        message = exc.problem or exc.context or _("cannot parse")
        if exc.context and message.startswith("but "):  # "expected ..., but found ..."
            message = f"{exc.context}, {message}"
        raise InputError([Problem(filename, line, "", _(
            "invalid YAML: {problem}", problem=yaml_problem(message)))]) from None
    except yaml.reader.ReaderError as exc:  # a control character or invalid text
        line = text.count("\n", 0, exc.position) + 1
        char = exc.character
        shown = f"U+{char:04X}" if isinstance(char, int) else repr(char)
        raise InputError([Problem(filename, line, "", _(
            "invalid YAML: character {character} is not allowed", character=shown))]) from None
    except yaml.YAMLError as exc:
        raise InputError([Problem(filename, 1, "", _(
            "invalid YAML: {problem}", problem=yaml_problem(str(exc))))]) from None
    except RecursionError:
        raise InputError([Problem(filename, 1, "", _("invalid YAML: nested too deeply"))]
                         ) from None
    if node is None:
        return {}, lines
    problems: list[Problem] = []
    converter = _Converter(lines, problems, filename)
    try:
        data = converter.convert(node, (), node.start_mark.line + 1)
    except RecursionError:
        raise InputError([Problem(filename, 1, "", _("invalid YAML: nested too deeply"))]
                         ) from None
    if problems:
        raise InputError(problems)
    return data, lines


# libyaml's parser, where PyYAML was built with it: about ten times as fast on a large
# organization's file (0.11 to 0.01 s for 500 departments), the same nodes and lines.
_FAST_LOADER: type[Any] | None = getattr(yaml, "CSafeLoader", None)


def _compose(text: str) -> yaml.Node | None:
    """The document's node tree; a document libyaml refuses is parsed again by PyYAML's own
    parser, so a problem is worded (and placed) the same whichever is installed."""
    if _FAST_LOADER is not None:
        try:
            return yaml.compose(text, Loader=_FAST_LOADER)
        except (yaml.YAMLError, RecursionError):
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)


class _Converter:
    """Turn composed nodes into plain data, recording lines and collecting problems."""

    def __init__(self, lines: LineMap, problems: list[Problem], filename: str) -> None:
        self.lines = lines
        self.problems = problems
        self.filename = filename
        self.count = 0
        self.active: set[int] = set()  # nodes being converted: an alias to one is a loop

    def problem(self, node: yaml.Node, path: Path, message: str) -> None:
        self.problems.append(
            Problem(self.filename, node.start_mark.line + 1, format_path(path), message)
        )

    def convert(self, node: yaml.Node, path: Path, line: int) -> Any:
        """Convert ``node`` found at ``path``; ``line`` is where the path is named."""
        self.lines.set(path, line)
        self.count += 1
        if self.count > MAX_NODES:
            if self.count == MAX_NODES + 1:
                self.problem(node, (), _("the document expands to more than {count} values "
                                         "(aliases used too often)", count=MAX_NODES))
            return None
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, path)
        if node.tag not in (_MAP, _SEQ):
            self.problem(node, path, _("unsupported YAML tag {tag}", tag=node.tag))
            return None
        if id(node) in self.active:
            self.problem(node, path, _("an alias refers to a node that contains it"))
            return None
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self.mapping(node, path)
            return [
                self.convert(item, (*path, index), item.start_mark.line + 1)
                for index, item in enumerate(node.value)
            ]
        finally:
            self.active.discard(id(node))

    def mapping(self, node: yaml.MappingNode, path: Path) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag == _MERGE:
                self.problem(key_node, path,
                             _("merge keys (<<) are not supported; write the keys out"))
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, path, _("a key must be a plain value"))
                continue
            before = len(self.problems)
            key = self.scalar(key_node, path)
            if len(self.problems) > before:
                continue
            key_line = key_node.start_mark.line + 1
            if key in result:
                self.problems.append(
                    Problem(self.filename, key_line, format_path((*path, key)), _("duplicate key"))
                )
                continue
            # The key's line: for a nested block, where its name is written, not its first item.
            result[key] = self.convert(value_node, (*path, key), key_line)
        return result

    def scalar(self, node: yaml.ScalarNode, path: Path) -> Any:
        value: str = node.value
        tag = node.tag
        if tag in (_STR, _TIMESTAMP):
            # Dates stay text; the schema parses them, so messages speak of the field.
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
                self.problem(node, path, _("not a finite number: {value}", value=repr(value)))
                return None
            return number
        if tag == _BOOL:
            # Only true and false (YAML 1.2): yes/no/on/off stay text, so that country: NO
            # (Norway) and subdivision: ON (Ontario) mean what they say. Boolean fields still
            # accept yes/no/on/off as text.
            lowered = value.lower()
            return lowered == "true" if lowered in ("true", "false") else value
        if tag == _NULL:
            return None
        self.problem(node, path, _("unsupported YAML tag {tag}", tag=tag))
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


# PyYAML's common complaints, as sentences of the catalogue (placeholders for what they quote);
# a rare one stays in PyYAML's English.
_YAML_PROBLEMS = [
    (re.compile(r"mapping values are not allowed here"),
     N_("mapping values are not allowed here")),
    (re.compile(r"found character (?P<character>.+) that cannot start any token"),
     N_("found character {character} that cannot start any token")),
    (re.compile(r"could not find expected ':'"), N_("could not find expected ':'")),
    (re.compile(r"did not find expected key"), N_("did not find expected key")),
    (re.compile(r"did not find expected '-' indicator"),
     N_("did not find expected '-' indicator")),
    (re.compile(r"expected a single document in the stream, but found another document"),
     N_("expected a single document in the stream, but found another document")),
    (re.compile(r"expected ',' or (?P<bracket>'[\]}]'), but got (?P<token>.+)"),
     N_("expected ',' or {bracket}, but got {token}")),
    (re.compile(r"expected <block end>, but found (?P<token>.+)"),
     N_("expected <block end>, but found {token}")),
    (re.compile(r"expected '<document start>', but found (?P<token>.+)"),
     N_("expected '<document start>', but found {token}")),
    (re.compile(r"found unexpected end of stream"), N_("found unexpected end of stream")),
    (re.compile(r"second occurrence"), N_("second occurrence")),  # of an anchor (&name)
    (re.compile(r"found undefined alias (?P<name>.+)"), N_("found undefined alias {name}")),
    (re.compile(r"found unknown escape character (?P<character>.+)"),
     N_("found unknown escape character {character}")),
]


def yaml_problem(text: str) -> str:
    """PyYAML's description of a problem, in the reader's language where it is a common one."""
    for pattern, message in _YAML_PROBLEMS:
        found = pattern.fullmatch(text)
        if found:
            return _(message, **found.groupdict())
    return text
