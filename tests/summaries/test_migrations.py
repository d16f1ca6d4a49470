from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from summaries.db import make_engine
from summaries.migrate import current_revision, upgrade
from summaries.models import Base
from tests.dbutil import fresh_database


def test_migrations_produce_exactly_the_models_schema(tmp_path: Path) -> None:
    with fresh_database(tmp_path) as url:
        engine = make_engine(url, poolclass=sa.pool.NullPool)
        assert current_revision(engine) is None
        upgrade(engine)
        upgrade(engine)  # a second upgrade is a no-op, not an error
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
        assert current_revision(engine) is not None
        engine.dispose()
