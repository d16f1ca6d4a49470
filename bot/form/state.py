"""The check-in form's state: steps, typed values out of Slack's view state, and their checks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from bot.ids import VALUE_ACTION, FormRef
from summaries.checkins.forms import KPI, SECTION
from summaries.checkins.submissions import validate_submission
from summaries.config.schema import Config
from summaries.numbers import OutOfBounds, parse_decimal

# Inputs per modal step: well inside Slack's 100 blocks a view, and a screenful to fill in.
INPUTS_PER_STEP = 40
NOT_A_NUMBER = "must be a number, such as 1250 or 3.5 (no separators or units)"


def split_steps(fields: Sequence[str], per_step: int = INPUTS_PER_STEP) -> list[list[str]]:
    """Cut the form's fields into steps of at most ``per_step`` inputs, balanced in size."""
    if not fields:
        return [[]]
    count = -(-len(fields) // per_step)
    size = -(-len(fields) // count)
    return [list(fields[i:i + size]) for i in range(0, len(fields), size)]


def locate_step(ref: FormRef, all_fields: Sequence[str], shown: Sequence[str]) -> FormRef | None:
    """The form reference the server trusts: the step is the one whose inputs the view holds,
    whatever ``private_metadata`` claims; None when the view matches no step of today's form."""
    steps = split_steps(all_fields)
    for index, fields in enumerate(steps):
        if list(fields) == list(shown):
            return FormRef(ref.period, ref.department, index, len(steps))
    return None


def first_step_with(all_fields: Sequence[str], wanted: Iterable[str]) -> int:
    """The index of the first step holding one of the ``wanted`` fields (0 if none does)."""
    wanted = set(wanted)
    for index, fields in enumerate(split_steps(all_fields)):
        if wanted & set(fields):
            return index
    return 0


def read_state(view: Mapping[str, Any]) -> dict[str, str | None]:
    """The typed value of every check-in input in a view's ``state`` (None when empty)."""
    values: dict[str, str | None] = {}
    state = view.get("state") or {}
    for block_id, actions in (state.get("values") or {}).items():
        if not block_id.startswith((f"{SECTION}:", f"{KPI}:")):
            continue
        element = (actions or {}).get(VALUE_ACTION) or {}
        value = element.get("value")
        values[block_id] = value if isinstance(value, str) and value != "" else None
    return values


@dataclass(frozen=True)
class Checked:
    """Typed values split into answers and figures, with the problems found per field."""

    answers: dict[str, str]
    figures: dict[str, Decimal | None]
    errors: dict[str, str]


def check_values(config: Config, department_key: str, values: Mapping[str, str | None],
                 fields: Iterable[str]) -> Checked:
    """Check the typed ``values`` of ``fields`` as the services would store them."""
    department = config.department_by_key[department_key]
    answers: dict[str, str] = {}
    figures: dict[str, Decimal | None] = {}
    errors: dict[str, str] = {}
    wanted = list(fields)
    for field in wanted:
        kind, _, key = field.partition(":")
        raw = values.get(field)
        if kind == SECTION:
            answers[key] = raw or ""
        elif raw is None or not raw.strip():
            figures[key] = None
        else:
            try:
                figures[key] = parse_decimal(raw.strip())
            except OutOfBounds as exc:
                errors[field] = f"must be a number this form can keep ({exc})"
            except ValueError:
                errors[field] = NOT_A_NUMBER
    problems = validate_submission(config, department, answers, {
        k: v for k, v in figures.items() if f"{KPI}:{k}" not in errors})
    errors.update({f: m for f, m in problems.items() if f in wanted and f not in errors})
    return Checked(answers, figures, errors)
