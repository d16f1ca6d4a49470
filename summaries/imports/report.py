"""What an import changed (or, in a dry run, would change): row by row, and the counts."""

from __future__ import annotations

from dataclasses import dataclass, field

from summaries.i18n import _, ngettext


@dataclass(frozen=True)
class ImportChange:
    """One row that changes (or, in a dry run, would change) what is stored."""

    line: int
    subject: str  # e.g. "revenue east-county 2026-09" or "target revenue east-county 2026-10"
    old: str | None  # None: nothing stored yet
    new: str

    @property
    def description(self) -> str:
        if self.old is None:
            return _("{subject}: new {new}", subject=self.subject, new=self.new)
        return _("{subject}: {old} -> {new}", subject=self.subject, old=self.old, new=self.new)

    def __str__(self) -> str:
        return _("line {line}: {change}", line=self.line, change=self.description)


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
        if self.dry_run:
            return ngettext("{filename}: {n} row, {changed} would change, {unchanged} unchanged",
                            "{filename}: {n} rows, {changed} would change, {unchanged} unchanged",
                            self.rows, filename=self.filename, changed=self.changed,
                            unchanged=self.unchanged)
        return ngettext("{filename}: {n} row, {changed} changed, {unchanged} unchanged",
                        "{filename}: {n} rows, {changed} changed, {unchanged} unchanged",
                        self.rows, filename=self.filename, changed=self.changed,
                        unchanged=self.unchanged)
