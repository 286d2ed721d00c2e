"""{{ name }}: the database schema's version, through Alembic.

The migrations are in app/migrations/versions/ (0001 creates the jobs table). Alembic records
the applied revision in its table alembic_version. `python -m app.main migrate` applies what is
missing; `python -m app.main migrate-down` undoes the newest applied migration.
Serves factor XII (admin processes).
"""

import functools
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, pool

MIGRATIONS = Path(__file__).parent / "migrations"


def sqlalchemy_url(config):
    """DATABASE_URL for SQLAlchemy with the psycopg 3 driver (query options such as sslmode kept)."""
    url = config.database_url
    return "postgresql+psycopg" + url.geturl()[len(url.scheme):]


def alembic_config(config):
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["database_url"] = sqlalchemy_url(config)
    return cfg


@functools.cache
def head():
    """The newest revision in app/migrations/versions/."""
    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def current(config):
    """The applied revision, or None."""
    engine = create_engine(sqlalchemy_url(config), poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def upgrade(config):
    """Applies every missing migration; returns the revisions applied (none when up to date)."""
    before = current(config)
    if before == head():
        return []
    command.upgrade(alembic_config(config), "head")
    script = ScriptDirectory(str(MIGRATIONS))
    return [r.revision for r in reversed(list(script.iterate_revisions(head(), before)))]


def downgrade(config):
    """Undoes the newest applied migration; returns it (none when nothing is applied)."""
    before = current(config)
    if before is None:
        return []
    command.downgrade(alembic_config(config), "-1")
    return [before]
