"""Derived KPIs: formulas over other KPIs, parsed once, evaluated on decimals."""

from __future__ import annotations

import ast
import decimal
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from summaries.i18n import N_, _

_MAX_PLACES = 100  # round(x, 1E+999999) would build a million-digit integer first


def _round(value: Decimal, places: Decimal | int = 0) -> Decimal:
    """Round half away from zero, as spreadsheets do: round(2.5) is 3, round(-2.5) is -3."""
    wanted = Decimal(places)
    if not wanted.is_finite() or abs(wanted) > _MAX_PLACES:
        raise ValueError("round() places out of range")  # evaluate() gives no value
    digits = int(places)
    rounded = Decimal(value).quantize(Decimal(1).scaleb(-digits), rounding=decimal.ROUND_HALF_UP)
    # round(1234, -2) is 1200, not 1.2E+3
    return rounded if digits >= 0 else rounded.quantize(Decimal(1))


_FUNCTIONS: dict[str, Callable[..., Any]] = {"min": min, "max": max, "abs": abs, "round": _round}
# How many arguments each function takes: (fewest, most); None is no limit.
_ARITY: dict[str, tuple[int, int | None]] = {
    "min": (2, None), "max": (2, None), "abs": (1, 1), "round": (1, 2),
}
_OPERATORS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.UAdd, ast.USub)
_ALLOWED_NODES = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Constant, ast.Name, ast.Call,
                  ast.Load, *_OPERATORS)


class FormulaError(ValueError):
    """A formula that does not parse or uses something outside the allow-list."""


# An expression compiled from the checked tree: it reads its inputs by name.
Compiled = Callable[[Mapping[str, Any]], Any]
_BINARY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv}
_UNARY: dict[type[ast.unaryop], Callable[[Any], Any]] = {
    ast.UAdd: operator.pos, ast.USub: operator.neg}


@dataclass(frozen=True)
class Formula:
    """A parsed formula: its text, the KPI keys it reads, and a prepared expression."""

    text: str
    inputs: frozenset[str]
    _compiled: Compiled = field(repr=False, compare=False)

    def evaluate(self, values: Mapping[str, Decimal | None]) -> Decimal | None:
        """Return the formula's value, or None for a missing input or a division by zero."""
        names: dict[str, Decimal] = {}
        for key in self.inputs:
            value = values.get(key)
            if value is None:
                return None
            names[key] = value
        try:
            with decimal.localcontext() as ctx:
                ctx.traps[decimal.DivisionByZero] = True
                ctx.traps[decimal.InvalidOperation] = True
                ctx.traps[decimal.Overflow] = True
                result = self._compiled(names)
        except (ArithmeticError, ValueError):
            # Division by zero, overflow, NaN or infinite inputs: no value, never a crash.
            return None
        if isinstance(result, bool) or not isinstance(result, int | Decimal):
            return None
        number = Decimal(result)
        return number if number.is_finite() else None


def parse_formula(text: str) -> Formula:
    """Parse ``text`` against the allow-list: numbers, KPI keys, + - * / ( ), min max abs round."""
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise FormulaError(_("does not parse: {reason}", reason=_syntax(exc.msg))) from None
    inputs: set[str] = set()
    called: set[int] = set()  # the Name nodes that are the function of a call
    for node in ast.walk(tree):  # breadth first: a call comes before the name it calls
        if not isinstance(node, _ALLOWED_NODES):
            raise FormulaError(_("not allowed in a formula: {what}", what=_describe(node)))
        if isinstance(node, ast.Call):
            _check_call(node)
            called.add(id(node.func))
        elif isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, int | float):
                raise FormulaError(_("only numbers may appear as constants, not {value}",
                                     value=repr(node.value)))
        elif isinstance(node, ast.Name) and node.id in _FUNCTIONS:
            if id(node) not in called:  # min + 1 would fail at every evaluation
                raise FormulaError(_("{name} is a function: write {name}(...)", name=node.id))
        elif isinstance(node, ast.Name):
            inputs.add(node.id)
    return Formula(text.strip(), frozenset(inputs), _compile(tree.body, text.strip()))


def _compile(node: ast.expr, source: str) -> Compiled:
    """The checked tree as nested closures: the same operations on the same decimals as
    walking the tree at every evaluation, without the walk (a month at scale evaluates
    formulas tens of thousands of times). Only the allow-list's nodes reach here; a numeric
    literal becomes the exact decimal it is written as (0.1 stays 0.1)."""
    if isinstance(node, ast.Constant):
        literal = ast.get_source_segment(source, node) or repr(node.value)
        constant = Decimal(literal.replace("_", ""))
        return lambda names: constant
    if isinstance(node, ast.Name):
        name = node.id
        return lambda names: names[name]
    if isinstance(node, ast.BinOp):
        combine = _BINARY[type(node.op)]
        left, right = _compile(node.left, source), _compile(node.right, source)
        return lambda names: combine(left(names), right(names))
    if isinstance(node, ast.UnaryOp):
        apply, operand = _UNARY[type(node.op)], _compile(node.operand, source)
        return lambda names: apply(operand(names))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        function, arguments = _FUNCTIONS[node.func.id], [_compile(a, source) for a in node.args]
        return lambda names: function(*[argument(names) for argument in arguments])
    raise FormulaError(_("not allowed in a formula: {what}", what=_describe(node)))


def _check_call(node: ast.Call) -> None:
    if not isinstance(node.func, ast.Name) or node.func.id not in _FUNCTIONS:
        raise FormulaError(_("only min, max, abs and round may be called"))
    name = node.func.id
    if node.keywords or not node.args:
        raise FormulaError(_("{name}() takes plain arguments", name=name))
    fewest, most = _ARITY[name]
    if len(node.args) < fewest or (most is not None and len(node.args) > most):
        raise FormulaError(_(_WANTED[name], name=name))


# What each function takes, said when a call gives it too few or too many arguments.
_WANTED = {"min": N_("{name}() takes two or more arguments"),
           "max": N_("{name}() takes two or more arguments"),
           "abs": N_("{name}() takes one argument"),
           "round": N_("{name}() takes a value and, optionally, decimal places")}
_NODES = {ast.Attribute: N_("attribute access"), ast.Compare: N_("comparisons"),
          ast.Subscript: N_("indexing")}
# Python's reasons a formula does not parse, where they are common; a rare one stays English.
_SYNTAX = frozenset({N_("invalid syntax"), N_("'(' was never closed"), N_("unmatched ')'"),
                     N_("invalid decimal literal")})


def _syntax(reason: str) -> str:
    return _(reason) if reason in _SYNTAX else reason


def _describe(node: ast.AST) -> str:
    if type(node) in _NODES:
        return _(_NODES[type(node)])
    operators: dict[type[ast.AST], str] = {ast.Pow: "**", ast.Mod: "%", ast.FloorDiv: "//"}
    return operators.get(type(node), type(node).__name__)


def dependency_cycle(formulas: Mapping[str, frozenset[str]]) -> list[str] | None:
    """Return one cycle among derived KPIs (as a list of keys, closed), or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(key: str) -> list[str] | None:
        state[key] = 1
        stack.append(key)
        for dep in sorted(formulas.get(key, frozenset())):
            if dep not in formulas:
                continue
            if state.get(dep) == 1:
                return [*stack[stack.index(dep):], dep]
            if dep not in state and (found := visit(dep)):
                return found
        stack.pop()
        state[key] = 2
        return None

    for key in sorted(formulas):
        if key not in state and (found := visit(key)):
            return found
    return None
