"""Fixtures for the summaries tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from summaries.store.catalog import Catalog


@pytest.fixture
def flushes(db: Session, catalog: Catalog) -> Iterator[list[int]]:
    """Counts the session's flushes from here on (after the catalog is synced)."""
    seen: list[int] = []

    def on_flush(session: Session, context: Any) -> None:
        seen.append(1)

    event.listen(db, "after_flush", on_flush)
    yield seen
    event.remove(db, "after_flush", on_flush)
