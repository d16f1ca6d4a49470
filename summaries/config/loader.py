"""Load the configuration file: parse, validate every part, cross-check, report all at once."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from summaries.config.checks import check_away, cross_check
from summaries.config.fields import FIELD_ERROR
from summaries.config.messages import message
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
from summaries.config.timing import Schedule
from summaries.config.yamlsource import LineMap, format_path, load_yaml
from summaries.config.yamlsource import Path as NodePath
from summaries.errors import InputError, Problem
from summaries.i18n import _

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
            raise InputError([Problem(name, 1, "", _(
                "larger than {size} KiB: not a configuration file this bot reads",
                size=format(MAX_CONFIG_BYTES // 1024, ",")))])
        text = raw.decode("utf-8-sig")
    except FileNotFoundError:
        raise InputError([Problem(name, 1, "", _("file not found"))]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError([Problem(name, 1, "", _("cannot read: {error}", error=exc))]) from None
    return parse_config(text, name)


def parse_config(text: str, filename: str = "checkin.yaml") -> Config:
    """Validate configuration text; ``filename`` is the name errors are reported under."""
    data, lines = load_yaml(text, filename)
    if data is None:  # "---" alone or "~": as empty as an empty file
        data, lines = {}, LineMap()
    report = _Report(filename, lines)
    if not isinstance(data, dict):
        report.add((), _("the file must be a mapping of organization, schedule, kpis, ..."))
        raise InputError(report.problems)
    for key in data:
        if key not in _TOP_LEVEL:
            report.add((key,), _("unknown section; expected one of {sections}",
                                 sections=", ".join(_TOP_LEVEL)))
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
        sections=tuple(s for _index, s in sections),
        kpis=tuple(k for _index, k in kpis),
        departments=tuple(d for _index, d in departments),
        targets=tuple(t for _index, t in targets),
        rules=rules,
        away=tuple(a for _index, a in away),
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
                self.add((key,), _("required"))
            return None
        return self.validate(model, data[key], (key,))

    def many(self, model: type[M], data: dict[str, Any], key: str,
             required: bool = False) -> list[tuple[int, M]]:
        items = data.get(key)
        if items is None:
            if required:
                self.add((key,), _("required: a list"))
            return []
        if not isinstance(items, list):
            self.add((key,), _("must be a list"))
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
                self.add(where, message(error))
            return None


def _clean_loc(loc: Sequence[Any]) -> Iterator[str | int]:
    for part in loc:
        # pydantic names union members in locations ("int", "literal[...]"): not a field
        if isinstance(part, int) or (isinstance(part, str) and "[" not in part
                                     and part not in ("int", "str", "function-after")):
            yield part
