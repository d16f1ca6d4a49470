"""Pydantic's validation errors in the reader's words (SPEC 11): each kind a configuration
meets is a sentence of the catalogue, filled from the error's ``ctx``; its English is pydantic's
own sentence as shown today (first letter lowercased), so English output does not change.
A rare kind keeps pydantic's English text."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from summaries.config.fields import CHANNEL_ID_PATTERN, KEY_PATTERN, USER_ID_PATTERN
from summaries.config.timing import MONTH_PATTERN
from summaries.i18n import N_, _, ngettext

_PATTERN_WORDS = {
    KEY_PATTERN: N_("{value} is not a key: use lowercase letters, digits, - and _"),
    USER_ID_PATTERN: N_("{value} is not a Slack user id (such as U0123ABCD)"),
    CHANNEL_ID_PATTERN: N_("{value} is not a Slack channel id (such as C0123ABCD)"),
    MONTH_PATTERN: N_("{value} is not a month (YYYY-MM)"),
}

# By pydantic's error type: its sentence, with the ``ctx`` values as placeholders.
_KINDS = {
    "missing": N_("required"),
    "extra_forbidden": N_("unknown field"),
    "int_type": N_("input should be a valid integer"),
    "int_parsing": N_("input should be a valid integer, unable to parse string as an integer"),
    "int_from_float": N_("input should be a valid integer, got a number with a fractional part"),
    "decimal_type": N_("decimal input should be an integer, float, string or Decimal object"),
    "decimal_parsing": N_("input should be a valid decimal"),
    "finite_number": N_("input should be a finite number"),
    "bool_type": N_("input should be a valid boolean"),
    "bool_parsing": N_("input should be a valid boolean, unable to interpret input"),
    "string_type": N_("input should be a valid string"),
    "list_type": N_("input should be a valid list"),
    "dict_type": N_("input should be a valid dictionary"),
    "model_type": N_("input should be a valid dictionary or instance of {class_name}"),
    "model_attributes_type": N_("input should be a valid dictionary or object to extract "
                                "fields from"),
    "greater_than": N_("input should be greater than {gt}"),
    "greater_than_equal": N_("input should be greater than or equal to {ge}"),
    "less_than": N_("input should be less than {lt}"),
    "less_than_equal": N_("input should be less than or equal to {le}"),
    "date_type": N_("input should be a valid date"),
    "date_from_datetime_parsing": N_("input should be a valid date or datetime, {error}"),
    "date_from_datetime_inexact": N_("datetimes provided to dates should have zero time - "
                                     "e.g. be exact dates"),
    "time_type": N_("input should be a valid time"),
    "time_parsing": N_("input should be in a valid time format, {error}"),
}

# Why a date or time does not parse (pydantic's ``ctx["error"]``), where the reason is common.
_DATE_REASONS = frozenset({
    N_("input is too short"),
    N_("input is too long"),
    N_("invalid character in year"),
    N_("invalid character in month"),
    N_("invalid character in day"),
    N_("month value is outside expected range of 1-12"),
    N_("day value is outside expected range"),
    N_("unexpected extra characters at the end of the input"),
    N_("invalid date separator, expected `-`"),
})


def message(error: Any) -> str:
    """The words for one of pydantic's errors (``ValidationError.errors()``), in the reader's
    language: our validators' own messages were written in it when they were raised."""
    kind = error["type"]
    ctx = dict(error.get("ctx") or {})
    if kind == "literal_error":
        return _("must be one of {choices}", choices=_choices(str(ctx.get("expected", ""))))
    if kind == "string_pattern_mismatch":
        value = repr(error["input"])
        described = _PATTERN_WORDS.get(str(ctx.get("pattern")))
        if described:
            return _(described, value=value)
        return _("{value} does not match {pattern}", value=value, pattern=ctx.get("pattern"))
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind == "string_too_short":
        return ngettext("string should have at least {n} character",
                        "string should have at least {n} characters", ctx["min_length"])
    if kind == "string_too_long":
        return ngettext("string should have at most {n} character",
                        "string should have at most {n} characters", ctx["max_length"])
    if kind in _KINDS:
        if "error" in ctx:
            reason = str(ctx["error"])
            ctx["error"] = _(reason) if reason in _DATE_REASONS else reason
        return _(_KINDS[kind], **{k: str(v) for k, v in ctx.items()})
    text: str = error["msg"]
    return text[:1].lower() + text[1:]


def _choices(expected: str) -> str:
    parts: Iterable[str] = (p.strip(" '\"") for p in expected.replace(" or ", ",").split(","))
    return ", ".join(p for p in parts if p)
