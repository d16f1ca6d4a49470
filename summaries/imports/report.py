"""What an import changed (or, in a dry run, would change): row by row, and the counts."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ImportChange:
    """One row that changes (or, in a dry run, would change) what is stored."""

    line: int
    subject: str  # e.g. "revenue east-county 2026-09" or "target revenue east-county 2026-10"
    old: str | None  # None: nothing stored yet
    new: str

    @property
    def description(self) -> str:
        change = f"new {self.new}" if self.old is None else f"{self.old} -> {self.new}"
        return f"{self.subject}: {change}"

    def __str__(self) -> str:
        return f"line {self.line}: {self.description}"


@dataclass
class ImportReport:
    """What an import changed (or would change), row by row, and the counts."""

    filename: str
    dry_run: bool
    rows: int = 0
    changes: list[ImportChange] = field(default_factory=list)
    unchanged: int = 0
    # The (month, department) pairs whose figures change: a closed month's posted digest
    # is corrected for each.
    touched: set[tuple[str, str]] = field(default_factory=set)

    @property
    def changed(self) -> int:
        return len(self.changes)

    def summary(self) -> str:
        verb = "would change" if self.dry_run else "changed"
        return (f"{self.filename}: {self.rows} rows, {self.changed} {verb}, "
                f"{self.unchanged} unchanged")
