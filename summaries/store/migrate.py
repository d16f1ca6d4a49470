"""Apply the Alembic migrations that ship inside the package.

Every command and the bot's start check that the schema is current; that check reads Alembic's
version table and the packaged migrations' names directly, so it does not import Alembic (a
tenth of a second of each command's start). Migrations are numbered, each file named after its
revision (``0011_stored_renderings.py`` is revision ``0011``); a test checks Alembic agrees.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig

# Replicas starting together each run `checkin db upgrade`; on PostgreSQL they queue on this
# lock, so one migrates and the others find the schema current ("migrate" in ASCII).
MIGRATION_LOCK_KEY = 0x6D696772617465
VERSIONS = Path(__file__).with_name("migrations") / "versions"
VERSION_TABLE = "alembic_version"


def alembic_config(url: str) -> AlembicConfig:
    """An Alembic configuration for ``url``, with the packaged scripts (no alembic.ini needed)."""
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", "summaries.store:migrations")
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database behind ``engine`` up to ``revision``."""
    from alembic import command

    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":  # held until this transaction ends
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                               {"key": MIGRATION_LOCK_KEY})
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with engine.connect() as connection:
        if not inspect(connection).has_table(VERSION_TABLE):
            return None
        found = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars()
        versions = list(found)
    if len(versions) > 1:  # the packaged migrations form one line: never more than one head
        raise RuntimeError(f"the database is at more than one revision: {versions}")
    return versions[0] if versions else None


def head_revision() -> str | None:
    """The newest revision the packaged migrations define (the highest number)."""
    return max((p.name.split("_", 1)[0] for p in VERSIONS.glob("[0-9]*_*.py")), default=None)


def alembic_head() -> str | None:
    """The head as Alembic works it out from the scripts (for the test that compares)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
