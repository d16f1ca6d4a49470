"""The check-in form's state: steps, typed values out of Slack's view state, and their checks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from bot.blocks.modal import base_action
from bot.ids import CARRY_CHOICE, CARRY_UPDATE, PASTE_ACTION, PASTE_BLOCK, VALUE_ACTION, FormRef
from summaries.checkins.asks import MAX_REPLY_CHARS
from summaries.checkins.forms import CARRY, CARRY_NOTE, KPI, SECTION, WITHDRAW
from summaries.checkins.submissions import validate_submission
from summaries.config.schema import Config
from summaries.i18n import N_, _
from summaries.numbers import OutOfBounds
from summaries.numberwords import NotANumber, parse_figure

# Inputs per modal step: well inside Slack's 100 blocks a view, and a screenful to fill in.
INPUTS_PER_STEP = 40
NOT_A_NUMBER = N_("must be a number, such as 4,993,120, 499.31\u4e07 or 3.5")


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
    # The carried asks' inputs come and go with leadership's answers: they name no step.
    shown = [f for f in shown if f.startswith((f"{SECTION}:", f"{KPI}:"))]
    for index, fields in enumerate(steps):
        if list(fields) == shown:
            return FormRef(ref.period, ref.department, index, len(steps))
    return None


def first_step_with(all_fields: Sequence[str], wanted: Iterable[str]) -> int:
    """The index of the first step holding one of the ``wanted`` fields (0 if none does)."""
    wanted = set(wanted)
    for index, fields in enumerate(split_steps(all_fields)):
        if wanted & set(fields):
            return index
    return 0


# The action id of each kind of input, by the kind its block id starts with.
_ACTIONS = {SECTION: VALUE_ACTION, KPI: VALUE_ACTION, CARRY: CARRY_CHOICE,
            CARRY_NOTE: CARRY_UPDATE}


def read_state(view: Mapping[str, Any]) -> dict[str, str | None]:
    """The typed value of every check-in input in a view's ``state`` (None when empty): the
    KPIs and sections (text as typed: the figures are read by :func:`check_values`), and each
    carried ask's choice (its option's value) and update. Not the paste box: what it holds
    is no answer to keep in a draft (see :func:`read_paste`)."""
    values: dict[str, str | None] = {}
    state = view.get("state") or {}
    for block_id, actions in (state.get("values") or {}).items():
        action = _ACTIONS.get(block_id.partition(":")[0])
        if action is None:
            continue
        element = _entry(actions, action)
        chosen = element.get("selected_option")
        value = chosen.get("value") if isinstance(chosen, dict) else element.get("value")
        values[block_id] = value if isinstance(value, str) and value != "" else None
    return values


def _entry(actions: Any, action: str) -> dict[str, Any]:
    """The state entry of the input with ``action`` (whatever version of the view marks its
    action id, see :func:`bot.blocks.modal.versioned`), or an empty one."""
    for action_id, entry in (actions or {}).items():
        if base_action(action_id) == action and isinstance(entry, dict):
            return entry
    return {}


def read_paste(view: Mapping[str, Any]) -> str | None:
    """What the "Paste figures" box holds, or None when it is empty or not on this step."""
    state = (view.get("state") or {}).get("values") or {}
    value = _entry(state.get(PASTE_BLOCK), PASTE_ACTION).get("value")
    return value if isinstance(value, str) and value.strip() else None


@dataclass(frozen=True)
class Checked:
    """Typed values split into answers and figures, with the problems found per field."""

    answers: dict[str, str]
    figures: dict[str, Decimal | None]
    errors: dict[str, str]


def check_values(config: Config, department_key: str, values: Mapping[str, str | None],
                 fields: Iterable[str]) -> Checked:
    """Check the typed ``values`` of ``fields`` as the services would store them (of a carried
    ask, only its update's length: its choice is one of the select's options). Figures are
    read as people write them, by the organization's locale (``4,993,120``, ``499.31万``,
    ``3.4%`` for a percentage KPI)."""
    department = config.department_by_key[department_key]
    answers: dict[str, str] = {}
    figures: dict[str, Decimal | None] = {}
    errors: dict[str, str] = {}
    wanted = list(fields)
    for field in wanted:
        kind, _sep, key = field.partition(":")
        raw = values.get(field)
        if kind == SECTION:
            answers[key] = raw or ""
        elif kind == CARRY_NOTE and raw is not None and len(raw.strip()) > MAX_REPLY_CHARS:
            errors[field] = _("at most {limit} characters; this has {count}",
                              limit=format(MAX_REPLY_CHARS, ","), count=format(len(raw), ","))
        elif kind != KPI:
            continue
        elif raw is None or not raw.strip():
            figures[key] = None
        else:
            kpi = config.kpi_by_key.get(key)
            try:
                figures[key] = parse_figure(raw, config.organization.locale,
                                            percent=kpi is not None and kpi.is_percent)
            except OutOfBounds as exc:
                errors[field] = _("must be a number this form can keep ({problem})",
                                  problem=exc)
            except NotANumber:
                errors[field] = _(NOT_A_NUMBER)
            except ValueError as exc:  # ambiguous, misplaced separators, a unit too many
                errors[field] = str(exc)
    problems = validate_submission(config, department, answers, {
        k: v for k, v in figures.items() if f"{KPI}:{k}" not in errors})
    errors.update({f: m for f, m in problems.items() if f in wanted and f not in errors})
    return Checked(answers, figures, errors)


def carry_choices(values: Mapping[str, object]) -> dict[int, tuple[bool, str | None]]:
    """What the form says of each carried ask, by its id: whether to withdraw it (its choice
    is ``withdraw``) and the update typed for it; asks left as they were are left out."""
    found: dict[int, tuple[bool, str | None]] = {}
    for key, value in values.items():
        kind, _sep, number = key.partition(":")
        if kind not in (CARRY, CARRY_NOTE) or not number.isdigit():
            continue
        withdraw, update = found.get(int(number), (False, None))
        if kind == CARRY:
            withdraw = value == WITHDRAW
        elif isinstance(value, str) and value.strip():
            update = value.strip()
        found[int(number)] = (withdraw, update)
    return {k: v for k, v in found.items() if v != (False, None)}
