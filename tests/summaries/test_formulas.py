"""Derived KPIs: the formula allow-list, exact decimal evaluation, and cycles."""

from __future__ import annotations

import decimal
from datetime import timedelta
from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from simpleeval import SimpleEval

from summaries.formulas import FormulaError, _round, dependency_cycle, parse_formula


def value_of(text: str, **inputs: Decimal | None) -> Decimal | None:
    return parse_formula(text).evaluate(inputs)


# --- evaluation ---------------------------------------------------------------------------------


def test_ratio_of_two_kpis() -> None:
    formula = parse_formula("revenue / customers")
    assert formula.inputs == {"revenue", "customers"}
    assert formula.evaluate({"revenue": Decimal(1449000), "customers": Decimal(363)}) == (
        Decimal(1449000) / Decimal(363))
    assert formula.evaluate({"revenue": Decimal(726), "customers": Decimal(363)}) == Decimal(2)


def test_text_is_kept_stripped() -> None:
    assert parse_formula("  revenue / customers \n").text == "revenue / customers"


def test_division_by_zero_gives_no_value() -> None:
    assert value_of("revenue / customers", revenue=Decimal(100), customers=Decimal(0)) is None
    assert value_of("revenue / customers", revenue=Decimal(0), customers=Decimal(0)) is None
    assert value_of("revenue / 0", revenue=Decimal(5)) is None


def test_missing_input_gives_no_value_never_zero() -> None:
    assert value_of("revenue / customers", revenue=Decimal(100)) is None
    assert value_of("revenue / customers", revenue=Decimal(100), customers=None) is None
    assert value_of("revenue - customers", revenue=None, customers=Decimal(0)) is None


def test_extra_inputs_are_ignored() -> None:
    assert value_of("a + 1", a=Decimal(1), unrelated=Decimal(99)) == Decimal(2)


def test_decimal_exactness() -> None:
    assert value_of("0.1 + 0.2") == Decimal("0.3")
    assert value_of("a * 0.1", a=Decimal(3)) == Decimal("0.3")
    assert value_of("a + b", a=Decimal("0.1"), b=Decimal("0.2")) == Decimal("0.3")
    assert value_of("1_000 * a", a=Decimal("1.5")) == Decimal(1500)


def test_arithmetic_and_precedence() -> None:
    assert value_of("(a - b) / b * 100", a=Decimal(120), b=Decimal(100)) == Decimal(20)
    assert value_of("-a + +b", a=Decimal(2), b=Decimal(5)) == Decimal(3)
    assert value_of("a - b * 2", a=Decimal(10), b=Decimal(3)) == Decimal(4)


def test_a_formula_of_constants_only() -> None:
    formula = parse_formula("2 * 3")
    assert formula.inputs == frozenset()
    assert formula.evaluate({}) == Decimal(6)


def test_min_max_abs() -> None:
    assert value_of("min(a, b)", a=Decimal(3), b=Decimal(-1)) == Decimal(-1)
    assert value_of("max(a, b, 10)", a=Decimal(3), b=Decimal(-1)) == Decimal(10)
    assert value_of("abs(a - b)", a=Decimal(3), b=Decimal(5)) == Decimal(2)
    assert value_of("min(a / b, 1)", a=Decimal(3), b=Decimal(2)) == Decimal(1)


def test_round_to_places_like_a_spreadsheet() -> None:
    assert value_of("round(a, 2)", a=Decimal("3.14159")) == Decimal("3.14")
    assert str(value_of("round(a, 2)", a=Decimal(2))) == "2.00"
    assert value_of("round(a)", a=Decimal("2.5")) == Decimal(3)
    assert value_of("round(a)", a=Decimal("-2.5")) == Decimal(-3)
    assert value_of("round(a, 1)", a=Decimal("0.25")) == Decimal("0.3")
    assert value_of("round(a / b, 3)", a=Decimal(1), b=Decimal(3)) == Decimal("0.333")


def test_round_to_tens_and_hundreds_gives_a_plain_number() -> None:
    rounded = value_of("round(a, -2)", a=Decimal(1250))
    assert rounded == Decimal(1300)
    assert str(rounded) == "1300"


def test_round_of_a_huge_value_to_places_gives_no_value() -> None:
    assert value_of("round(a, 2)", a=Decimal("1E+30")) is None


def test_round_to_absurd_places_gives_no_value_quickly() -> None:
    assert value_of("round(a, b)", a=Decimal(0), b=Decimal("1E+999999")) is None
    assert value_of("round(a, b)", a=Decimal(1), b=Decimal("-1E+999999")) is None
    assert value_of("round(a, b)", a=Decimal(1), b=Decimal("Infinity")) is None


def test_overflow_gives_no_value() -> None:
    assert value_of("a * b", a=Decimal("1E+999999"), b=Decimal("1E+999999")) is None


def test_non_finite_inputs_give_no_value() -> None:
    assert value_of("a + 1", a=Decimal("Infinity")) is None
    assert value_of("a + 1", a=Decimal("NaN")) is None
    assert value_of("min(a, 1)", a=Decimal("NaN")) is None
    assert value_of("round(1, a)", a=Decimal("NaN")) is None


def test_a_kpi_named_like_an_internal_constant_is_not_shadowed() -> None:
    """Numbers in the formula are bound to hidden names; a KPI key must never collide."""
    assert value_of("_c0 + 1", _c0=Decimal(5)) == Decimal(6)
    assert value_of("_C0 + 1", _C0=Decimal(5)) == Decimal(6)
    assert value_of("2 * _C1 + _C0", _C0=Decimal(1), _C1=Decimal(10)) == Decimal(21)


# --- the allow-list -----------------------------------------------------------------------------

REFUSED = {
    "power": ("a ** 2", "not allowed in a formula: **"),
    "modulo": ("a % 2", "not allowed in a formula: %"),
    "floor division": ("a // 2", "not allowed in a formula: //"),
    "comparison": ("a > b", "not allowed in a formula: comparisons"),
    "equality": ("a == b", "not allowed in a formula: comparisons"),
    "string": ("'abc'", "only numbers may appear as constants, not 'abc'"),
    "bytes": ("b'abc'", "only numbers may appear as constants"),
    "boolean": ("a * True", "only numbers may appear as constants, not True"),
    "None": ("None", "only numbers may appear as constants, not None"),
    "complex": ("2j * a", "only numbers may appear as constants"),
    "lambda": ("(lambda: 1)()", "only min, max, abs and round may be called"),
    "bare lambda": ("lambda: 1", "not allowed in a formula: Lambda"),
    "attribute": ("a.real", "not allowed in a formula: attribute access"),
    "dunder": ("a.__class__", "not allowed in a formula: attribute access"),
    "method call": ("a.sqrt()", "only min, max, abs and round may be called"),
    "subscript": ("a[0]", "not allowed in a formula: indexing"),
    "other function": ("sqrt(a)", "only min, max, abs and round may be called"),
    "builtin": ("open(a)", "only min, max, abs and round may be called"),
    "import": ("__import__('os')", "only min, max, abs and round may be called"),
    "keyword argument": ("round(a, ndigits=2)", "round() takes plain arguments"),
    "no arguments": ("max()", "max() takes plain arguments"),
    "starred": ("max(*a, b)", "not allowed in a formula: Starred"),
    "min of one": ("min(a)", "min() takes two or more arguments"),
    "abs of two": ("abs(a, b)", "abs() takes one argument"),
    "round of three": ("round(a, 1, 2)", "round() takes a value and, optionally, decimal places"),
    "function as a value": ("min + a", "min is a function: write min(...)"),
    "function passed along": ("max(a, abs)", "abs is a function: write abs(...)"),
    "conditional": ("a if b else c", "not allowed in a formula: IfExp"),
    "boolean operator": ("a and b", "not allowed in a formula: BoolOp"),
    "list": ("[a, b]", "not allowed in a formula: List"),
    "walrus": ("(x := 1)", "not allowed in a formula: NamedExpr"),
    "f-string": ("f'{a}'", "not allowed in a formula: JoinedStr"),
    "assignment": ("a = 1", "does not parse: invalid syntax"),
    "statement": ("import os", "does not parse: invalid syntax"),
    "empty": ("", "does not parse"),
    "two expressions": ("a b", "does not parse"),
}


@pytest.mark.parametrize(("text", "message"), list(REFUSED.values()), ids=list(REFUSED))
def test_everything_outside_the_allow_list_is_refused(text: str, message: str) -> None:
    with pytest.raises(FormulaError) as caught:
        parse_formula(text)
    assert str(caught.value).startswith(message)


def test_formula_error_is_a_value_error() -> None:
    """pydantic reports a ValueError raised in a validator as a field message."""
    assert issubclass(FormulaError, ValueError)


# --- cycles -------------------------------------------------------------------------------------


def test_no_cycle() -> None:
    graph = {"per_customer": frozenset({"revenue", "customers"}),
             "per_line": frozenset({"per_customer", "lines"})}
    assert dependency_cycle(graph) is None
    assert dependency_cycle({}) is None


def test_cycle_of_two() -> None:
    graph = {"a": frozenset({"b", "revenue"}), "b": frozenset({"a"})}
    assert dependency_cycle(graph) == ["a", "b", "a"]


def test_cycle_of_three_behind_a_clean_start() -> None:
    graph = {"a": frozenset({"b"}), "b": frozenset({"c"}), "c": frozenset({"d"}),
             "d": frozenset({"b"})}
    assert dependency_cycle(graph) == ["b", "c", "d", "b"]


def test_a_formula_reading_itself_is_a_cycle() -> None:
    assert dependency_cycle({"a": frozenset({"a"})}) == ["a", "a"]


def test_inputs_that_are_not_formulas_end_the_search() -> None:
    assert dependency_cycle({"a": frozenset({"b"}), "c": frozenset({"b", "a"})}) is None


# --- evaluation never raises --------------------------------------------------------------------

FORMULAS = [
    "revenue / customers",
    "(revenue - customers) / customers * 100",
    "round(revenue / customers, 2)",
    "round(revenue, customers)",
    "min(revenue, customers, 0.5) - max(revenue, -customers)",
    "abs(revenue) / abs(customers - 1)",
    "revenue * customers * 1e30",
    "-revenue / (customers * 0.001)",
]

DECIMALS = st.one_of(
    st.none(),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.sampled_from([Decimal(0), Decimal("-0"), Decimal(1), Decimal("1E+999999"),
                     Decimal("-1E+999999"), Decimal("1E-999999"), Decimal("1E-1000026"),
                     Decimal("9.999999999999999999999999999E+999999"), Decimal("sNaN")]),
    st.builds(lambda digits, exponent: Decimal(f"{digits}E{exponent}"),
              st.integers(-(10**40), 10**40), st.integers(-1_100_000, 1_100_000)),
)


@settings(max_examples=300, deadline=timedelta(seconds=1))
@given(text=st.sampled_from(FORMULAS), revenue=DECIMALS, customers=DECIMALS)
def test_evaluate_never_raises(
    text: str, revenue: Decimal | None, customers: Decimal | None
) -> None:
    result = parse_formula(text).evaluate({"revenue": revenue, "customers": customers})
    assert result is None or (isinstance(result, Decimal) and result.is_finite())
    if revenue is None or customers is None:
        assert result is None


# --- the compiled expression against a tree-walking evaluator -----------------------------------


def walked(text: str, values: dict[str, Decimal | None]) -> Decimal | None:
    """What walking the formula's tree with simpleeval gives (the evaluator the compiled
    closures replaced): every input a name, so no literal needs turning into a decimal."""
    if any(value is None for value in values.values()):
        return None
    functions = {"min": min, "max": max, "abs": abs, "round": _round}
    try:
        with decimal.localcontext() as ctx:
            ctx.traps[decimal.DivisionByZero] = True
            ctx.traps[decimal.InvalidOperation] = True
            ctx.traps[decimal.Overflow] = True
            result = SimpleEval(names=dict(values), functions=functions).eval(text)
    except (ArithmeticError, ValueError):
        return None
    return result if isinstance(result, Decimal) and result.is_finite() else None


def _expressions(names: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    def grown(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        pair = st.tuples(inner, inner)
        return st.one_of(
            st.tuples(inner, st.sampled_from("+-*/"), inner).map(
                lambda t: f"({t[0]} {t[1]} {t[2]})"),
            st.tuples(st.sampled_from("-+"), inner).map("".join),
            st.tuples(st.sampled_from(["min", "max"]), pair).map(
                lambda t: f"{t[0]}({t[1][0]}, {t[1][1]})"),
            inner.map("abs({})".format), inner.map("round({})".format),
            inner.map("round({}, places)".format))
    return st.recursive(names, grown, max_leaves=12)


NAMED = {"a": DECIMALS, "b": DECIMALS, "c": st.decimals(-(10**6), 10**6, places=3),
         "places": st.sampled_from([Decimal(n) for n in range(-3, 5)] + [Decimal("1E+9")])}


LONG = Decimal("1234567890123456789012345678901234567890.5")  # more digits than the context keeps


@settings(max_examples=400, deadline=timedelta(seconds=1))
@example(text="+a", values={"a": LONG, "b": None, "c": Decimal(0), "places": Decimal(0)})
@example(text="-(a * c)", values={"a": LONG, "b": None, "c": Decimal(3), "places": Decimal(0)})
@example(text="round(a / c, places)",
         values={"a": Decimal(2), "b": None, "c": Decimal(3), "places": Decimal(2)})
@given(text=_expressions(st.sampled_from(sorted(NAMED))), values=st.fixed_dictionaries(NAMED))
def test_compiled_formulas_compute_what_walking_the_tree_computes(
    text: str, values: dict[str, Decimal | None]
) -> None:
    formula = parse_formula(text)
    wanted = {key: values[key] for key in formula.inputs}
    ours, theirs = formula.evaluate(wanted), walked(text, wanted)
    assert (None if ours is None else str(ours)) == (None if theirs is None else str(theirs))
