"""Load the configuration file: parse, validate every part, cross-check, report all at once."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from summaries.config.checks import check_away, cross_check
from summaries.config.fields import CHANNEL_ID_PATTERN, FIELD_ERROR, KEY_PATTERN, USER_ID_PATTERN
from summaries.config.schema import (
    Away,
    Config,
    Department,
    Kpi,
    Organization,
    Rules,
    Section,
    TargetSpec,
)
from summaries.config.timing import MONTH_PATTERN, Schedule
from summaries.config.yamlsource import LineMap, format_path, load_yaml
from summaries.config.yamlsource import Path as NodePath
from summaries.errors import InputError, Problem

M = TypeVar("M", bound=BaseModel)
_TOP_LEVEL = ("organization", "schedule", "sections", "kpis", "departments", "targets", "rules",
              "away")


# A large organization's file is tens of kilobytes; past this it is a mistake (or /dev/zero).
MAX_CONFIG_BYTES = 1024 * 1024


def load_config(path: str | Path) -> Config:
    """Read and validate the configuration file; raise InputError naming every problem."""
    name = str(path)
    try:
        with Path(path).open("rb") as file:  # devices and pipes too: never past the limit
            raw = file.read(MAX_CONFIG_BYTES + 1)
        if len(raw) > MAX_CONFIG_BYTES:
            raise InputError([Problem(name, 1, "", f"larger than {MAX_CONFIG_BYTES // 1024:,} "
                                      "KiB: not a configuration file this bot reads")])
        text = raw.decode("utf-8-sig")
    except FileNotFoundError:
        raise InputError([Problem(name, 1, "", "file not found")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError([Problem(name, 1, "", f"cannot read: {exc}")]) from None
    return parse_config(text, name)


def parse_config(text: str, filename: str = "checkin.yaml") -> Config:
    """Validate configuration text; ``filename`` is the name errors are reported under."""
    data, lines = load_yaml(text, filename)
    if data is None:  # "---" alone or "~": as empty as an empty file
        data, lines = {}, LineMap()
    report = _Report(filename, lines)
    if not isinstance(data, dict):
        report.add((), "the file must be a mapping of organization, schedule, kpis, ...")
        raise InputError(report.problems)
    for key in data:
        if key not in _TOP_LEVEL:
            report.add((key,), f"unknown section; expected one of {', '.join(_TOP_LEVEL)}")
    organization = report.one(Organization, data, "organization", required=True)
    schedule = report.one(Schedule, data, "schedule")
    rules = report.one(Rules, data, "rules") or Rules()
    sections = report.many(Section, data, "sections", required=True)
    kpis = report.many(Kpi, data, "kpis", required=True)
    departments = report.many(Department, data, "departments", required=True)
    targets = report.many(TargetSpec, data, "targets")
    away = report.many(Away, data, "away")
    cross_check(report, data, organization, sections, kpis, departments, targets)
    check_away(report, away, departments)
    if report.problems or organization is None:
        raise InputError(report.problems)
    return Config(
        source=filename,
        organization=organization,
        schedule=schedule or Schedule(),
        sections=tuple(s for _, s in sections),
        kpis=tuple(k for _, k in kpis),
        departments=tuple(d for _, d in departments),
        targets=tuple(t for _, t in targets),
        rules=rules,
        away=tuple(a for _, a in away),
    )


class _Report:
    """Collects problems, turning schema paths into file lines."""

    def __init__(self, filename: str, lines: LineMap) -> None:
        self.filename = filename
        self.lines = lines
        self.problems: list[Problem] = []

    def add(self, path: NodePath, message: str) -> None:
        self.problems.append(
            Problem(self.filename, self.lines.line(path), format_path(path), message)
        )

    def one(self, model: type[M], data: dict[str, Any], key: str,
            required: bool = False) -> M | None:
        if key not in data or data[key] is None:
            if required:
                self.add((key,), "required")
            return None
        return self.validate(model, data[key], (key,))

    def many(self, model: type[M], data: dict[str, Any], key: str,
             required: bool = False) -> list[tuple[int, M]]:
        items = data.get(key)
        if items is None:
            if required:
                self.add((key,), "required: a list")
            return []
        if not isinstance(items, list):
            self.add((key,), "must be a list")
            return []
        valid = []
        for index, item in enumerate(items):
            value = self.validate(model, item, (key, index))
            if value is not None:
                valid.append((index, value))
        return valid

    def validate(self, model: type[M], value: Any, path: NodePath) -> M | None:
        try:
            return model.model_validate(value)
        except ValidationError as exc:
            for error in exc.errors():
                where = (*path, *_clean_loc(error["loc"]))
                if error["type"] == FIELD_ERROR:  # a whole-entry check naming its field
                    where = (*where, (error.get("ctx") or {})["field"])
                self.add(where, _message(error))
            return None


def _clean_loc(loc: Sequence[Any]) -> Iterator[str | int]:
    for part in loc:
        # pydantic names union members in locations ("int", "literal[...]"): not a field
        if isinstance(part, int) or (isinstance(part, str) and "[" not in part
                                     and part not in ("int", "str", "function-after")):
            yield part


_PATTERN_WORDS = {
    KEY_PATTERN: "a key: use lowercase letters, digits, - and _",
    USER_ID_PATTERN: "a Slack user id (such as U0123ABCD)",
    CHANNEL_ID_PATTERN: "a Slack channel id (such as C0123ABCD)",
    MONTH_PATTERN: "a month (YYYY-MM)",
}


def _message(error: Any) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "required"
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "literal_error":
        return f"must be one of {_choices(ctx.get('expected', ''))}"
    if kind == "string_pattern_mismatch":
        described = _PATTERN_WORDS.get(str(ctx.get("pattern")))
        if described:
            return f"{error['input']!r} is not {described}"
        return f"{error['input']!r} does not match {ctx.get('pattern')}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    message: str = error["msg"]
    return message[:1].lower() + message[1:]


def _choices(expected: str) -> str:
    parts: Iterable[str] = (p.strip(" '\"") for p in expected.replace(" or ", ",").split(","))
    return ", ".join(p for p in parts if p)
