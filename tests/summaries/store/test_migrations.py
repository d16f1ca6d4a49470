from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from summaries.store.db import make_engine
from summaries.store.migrate import (
    VERSIONS,
    alembic_head,
    current_revision,
    head_revision,
    upgrade,
)
from summaries.store.tables import Base
from tests.support.db import fresh_database


def test_migrations_produce_exactly_the_models_schema(tmp_path: Path) -> None:
    with fresh_database(tmp_path) as url:
        engine = make_engine(url, poolclass=sa.pool.NullPool)
        assert current_revision(engine) is None
        upgrade(engine)
        upgrade(engine)  # a second upgrade is a no-op, not an error
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
            assert context.get_current_revision() == head_revision()
        assert current_revision(engine) == head_revision()
        engine.dispose()


def test_the_head_read_from_the_file_names_is_alembics() -> None:
    """The start-up check reads the head from the migrations' names: each file is named by
    its revision, and the highest is the one Alembic finds at the head."""
    assert head_revision() == alembic_head()
    for path in VERSIONS.glob("[0-9]*_*.py"):
        number = path.name.split("_", 1)[0]
        assert f'revision = "{number}"' in path.read_text(encoding="utf-8"), path.name


def test_replicas_migrating_at_once_on_postgresql_queue_and_all_succeed(postgres_url: str
                                                                         ) -> None:
    # Replicas without the migration lock block each other's DDL for good: give up on a lock
    # after 30 s so that shows as a failure, not a hung test run.
    engines = [make_engine(postgres_url, poolclass=sa.pool.NullPool,
                           connect_args={"options": "-c lock_timeout=30000"})
               for _ in range(4)]
    try:
        with ThreadPoolExecutor(len(engines)) as pool:
            list(pool.map(upgrade, engines))  # re-raises any replica's failure
        assert current_revision(engines[0]) is not None
        with engines[0].connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        for engine in engines:
            engine.dispose()
