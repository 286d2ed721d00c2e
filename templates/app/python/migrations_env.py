"""{{ name }}: Alembic's environment. Connects with DATABASE_URL (or DATABASE_URL_FILE), takes a
lock so two releases never migrate at once, and runs each migration in its own transaction.
Serves factors III (config) and XII (admin processes)."""

from alembic import context
from sqlalchemy import create_engine, pool, text

from app.main import load_config
from app.schema import sqlalchemy_url

# Any fixed number: the key of the advisory lock every release of this app takes.
MIGRATION_LOCK = 7_420_001

url = context.config.attributes.get("database_url") or sqlalchemy_url(load_config())
engine = create_engine(url, poolclass=pool.NullPool)
with engine.connect() as connection:
    connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
    connection.commit()
    context.configure(connection=connection, transaction_per_migration=True)
    with context.begin_transaction():
        context.run_migrations()
    connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
    connection.commit()
engine.dispose()
