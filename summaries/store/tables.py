"""Every table the database holds, for migrations and for creating a schema from scratch."""

from __future__ import annotations

from summaries.store import infra, models, renderings, stamps
from summaries.store.base import Base

metadata = Base.metadata
__all__ = ["Base", "infra", "metadata", "models", "renderings", "stamps"]
