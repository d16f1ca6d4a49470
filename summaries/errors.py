"""Errors that name their place: ``FILE:LINE: field: message``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file, at a line and a field."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        place = f"{self.file}:{self.line}:"
        return f"{place} {self.field}: {self.message}" if self.field else f"{place} {self.message}"


class InputError(Exception):
    """Bad input in a file: carries every problem found, not only the first."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class DomainError(Exception):
    """A request the domain refuses, with a message fit to show the person who made it."""


class PermissionDenied(DomainError):
    """The person may not do this."""


class ValidationFailed(DomainError):
    """Submitted values are invalid; ``errors`` maps a field (``kpi:<key>``) to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


# What a person typed is quoted back at most this long: a reply must never grow with the input.
ECHO_CHARS = 60


def echo(typed: str, limit: int = ECHO_CHARS) -> str:
    """``typed`` as a reply may quote it: cut to ``limit`` characters, with an ellipsis."""
    typed = " ".join(typed.split())
    return typed if len(typed) <= limit else typed[:limit - 1].rstrip() + "\u2026"


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message (its type's name when it has none)."""
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
