"""Apply and inspect Alembic migrations programmatically (no alembic.ini needed)."""

from __future__ import annotations

from importlib.resources import files

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, MetaData


def alembic_config() -> Config:
    """The Alembic configuration pointing at the packaged migrations."""
    config = Config()
    config.set_main_option("script_location", str(files("zerowaste.adapters.db") / "migrations"))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database schema up to `revision` (the newest by default)."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Take the schema back to `revision` (`base` for empty); data in dropped tables is lost."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    """The newest revision shipped with the package."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def reset(engine: Engine) -> None:
    """Drop every table, `alembic_version` included, so `upgrade` can rebuild from scratch.

    Reflects what the database holds (tables of any revision, even ones this code no longer
    knows) and drops them children first; works on SQLite and PostgreSQL.
    """
    existing = MetaData()
    with engine.begin() as connection:
        existing.reflect(bind=connection)
        existing.drop_all(bind=connection)
