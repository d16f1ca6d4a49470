"""Every table the database holds, for migrations and for creating a schema from scratch."""

from __future__ import annotations

from summaries.store import deptstamps, infra, kept, models, renderings, stamps
from summaries.store.base import Base

metadata = Base.metadata
__all__ = ["Base", "deptstamps", "infra", "kept", "metadata", "models", "renderings",
           "stamps"]
