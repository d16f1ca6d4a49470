"""Find words a person would read that bypass the catalogues: in Python, string literals that
look like prose outside ``_()``/``ngettext()``/``pgettext()``/``N_()``; in templates, text
outside ``{{ _(...) }}``. Docstrings, logging, developer errors and Block Kit's own vocabulary
are not prose for a reader."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from jinja2 import Environment, nodes

ROOT = Path(__file__).resolve().parents[3]
GETTEXT = frozenset({"_", "ngettext", "pgettext", "N_"})
LOGGING = frozenset({"debug", "info", "warning", "error", "exception", "critical", "log",
                     "warn"})
# Errors that reach a developer or a log, never a Slack reader or a CLI user.
INTERNAL = frozenset({"ValueError", "TypeError", "KeyError", "AssertionError", "RuntimeError",
                      "NotImplementedError", "LookupError", "AttributeError", "IndexError",
                      "SlackApiError", "OSError"})
# Prose: two words of letters in a row, or a capitalised word ("Submit", "Cancel").
PROSE = re.compile(r"[A-Za-z]{2,}[ ,;:'\u2019-]+[A-Za-z]{2,}|^[A-Z][a-z]{2,}\b")
# Text no catalogue needs: identifiers, Block Kit and Slack vocabulary, units and codes.
NOT_PROSE = re.compile(r"^[a-z0-9_.:/@#*\-]+$")


def _ignored_calls(tree: ast.AST) -> set[int]:
    """Ids of string nodes inside calls whose text a reader never sees through us."""
    ignored: set[int] = set()
    for node in ast.walk(tree):
        name = None
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else (
                func.attr if isinstance(func, ast.Attribute) else None)
            logging_call = isinstance(func, ast.Attribute) and func.attr in LOGGING
            if name in GETTEXT or name in INTERNAL or logging_call or name in {
                    "getLogger", "warn", "TypeVar", "NewType", "namedtuple", "compile",
                    "text", "Counter", "Histogram", "Gauge", "Summary", "Enum"}:
                ignored.update(id(n) for n in ast.walk(node))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Module)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(
                    body[0].value, ast.Constant):
                ignored.add(id(body[0].value))
        if isinstance(node, ast.Subscript):  # dict["key"], Literal["a b"]
            ignored.update(id(n) for n in ast.walk(node.slice))
        if isinstance(node, ast.Compare):  # == "some text" compares, it does not show
            ignored.update(id(n) for n in ast.walk(node))
    return ignored


def python_strays(path: Path) -> Iterator[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    ignored = _ignored_calls(tree)
    for node in ast.walk(tree):
        if id(node) in ignored:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        elif isinstance(node, ast.JoinedStr):
            text = " ".join(v.value for v in node.values
                            if isinstance(v, ast.Constant) and isinstance(v.value, str))
            ignored.update(id(v) for v in node.values)
        else:
            continue
        if PROSE.search(text) and not NOT_PROSE.match(text):
            yield node.lineno, text


def template_strays(path: Path) -> Iterator[tuple[int, str]]:
    env = Environment(extensions=["jinja2.ext.i18n"])
    tree = env.parse(path.read_text(encoding="utf-8"))
    markup = re.compile(r"<style.*?</style>|<script.*?</script>|<[^>]*>|&\w+;", re.S)
    for node in tree.find_all(nodes.TemplateData):
        # A tag or a style split by an expression leaves its halves in two pieces of data.
        words = markup.sub(" ", re.sub(r"^[^<]*>|<[^>]*$", " ", node.data, flags=re.S))
        words = re.sub(r"[\w-]+=\"|\"", " ", words)  # attributes around an expression
        if re.search(r"[A-Za-z]{2,}", words):
            yield node.lineno, words.strip()[:80]
    inside = {id(const) for call in tree.find_all(nodes.Call)
              if isinstance(call.node, nodes.Name) and call.node.name in GETTEXT
              for const in call.find_all(nodes.Const)}
    for const in tree.find_all(nodes.Const):
        if isinstance(const.value, str) and id(const) not in inside and PROSE.search(
                const.value) and not NOT_PROSE.match(const.value):
            yield const.lineno, const.value
