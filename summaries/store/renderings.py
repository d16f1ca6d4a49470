"""Rendered digests kept for reading again: one per month and form, under the key it was made for.

The key says everything the rendering was made from (the input stamp, the configuration, the
code, the language, the form); a read whose key differs finds nothing and renders anew. One row
per month and form: keeping a new rendering replaces the one before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import LargeBinary, String, Text, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from summaries.store.base import Base
from summaries.store.types import UtcDateTime, utcnow

FORM = 80


class StoredRendering(Base):
    """A month's digest as one form renders it (Markdown, HTML, Block Kit JSON), with its
    trend chart where it has one (written beside the Markdown, embedded in the page)."""

    __tablename__ = "stored_renderings"

    period_key: Mapped[str] = mapped_column(String(7), primary_key=True)
    form: Mapped[str] = mapped_column(String(FORM), primary_key=True)
    key: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    chart: Mapped[bytes | None] = mapped_column(LargeBinary)
    # Where each department's part sits in ``body`` (JSON; see summaries.digest.render.parts).
    parts: Mapped[str | None] = mapped_column(Text)
    made_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


@dataclass(frozen=True)
class Rendering:
    """A rendered digest: its text and, for a form that writes one beside it, the chart."""

    text: str
    chart: bytes | None = None
    parts: str | None = None  # where its departments' parts sit in ``text``, if it says


def stored_rendering(session: Session, period: str, form: str, key: str) -> Rendering | None:
    """The rendering kept for ``period`` and ``form`` if it was made for ``key``."""
    row = session.connection().execute(
        select(StoredRendering.body, StoredRendering.chart)
        .where(StoredRendering.period_key == period, StoredRendering.form == form,
               StoredRendering.key == key)).first()
    return None if row is None else Rendering(row[0], row[1])


def last_rendering(session: Session, period: str, form: str) -> Rendering | None:
    """The rendering kept for ``period`` and ``form``, whatever it was made for, with its chart
    and where its parts sit: a new rendering reuses what has not changed."""
    row = session.connection().execute(
        select(StoredRendering.body, StoredRendering.chart, StoredRendering.parts)
        .where(StoredRendering.period_key == period, StoredRendering.form == form)).first()
    return None if row is None else Rendering(row[0], row[1], row[2])


def keep_rendering(session: Session, period: str, form: str, key: str,
                   rendering: Rendering) -> None:
    """Keep ``rendering`` for ``period`` and ``form`` under ``key``, replacing the one before."""
    session.execute(delete(StoredRendering).where(StoredRendering.period_key == period,
                                                  StoredRendering.form == form))
    session.add(StoredRendering(period_key=period, form=form, key=key,
                                body=rendering.text, chart=rendering.chart,
                                parts=rendering.parts))
